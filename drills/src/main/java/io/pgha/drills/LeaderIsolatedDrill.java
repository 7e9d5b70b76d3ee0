package io.pgha.drills;

import java.time.Duration;
import java.util.List;

/**
 * The leader's host reaches nothing and nothing new reaches it: not etcd, not the replicas (replication
 * stops both ways), not HAProxy's checks, no new client. Sessions clients opened before go on (a session
 * held straight to it shows until when it took writes). Patroni demotes as in leader-partition-dcs, a
 * replica takes the key after ttl. Without synchronous replication the writes the isolated leader took
 * after the cut never reached a replica: they are lost, and counted; with {@code --sync} it could not
 * acknowledge any, and none may be lost.
 */
final class LeaderIsolatedDrill implements Drill {

  @Override
  public String target(DrillPlan plan, ClusterFacts facts, ClusterControl control) {
    return facts.leaderBefore();
  }

  @Override
  public List<ExpectedAlert> expectedAlerts(ClusterFacts facts, String target) {
    return LeaderPartition.expectedAlerts(facts);
  }

  @Override
  public boolean holdsSessionToLeader() {
    return true;
  }

  @Override
  public void inject(DrillContext ctx) throws Exception {
    ctx.control().faults().network().isolate(ctx.target());
    ctx.say(ctx.target() + " isolated (" + ctx.control().faults().network().rules().size() + " iptables rules)");
  }

  @Override
  public boolean effectsSeen(DrillAnalysis a) {
    return LeaderPartition.seen(a) && alertsSettled(a);
  }

  @Override
  public Duration observeAtMost(ClusterFacts facts) {
    return Duration.ofSeconds(facts.ttl() + 60);
  }

  @Override
  public Judgement judge(DrillAnalysis a) {
    Judgement j = new Judgement();
    LeaderPartition.judge(a, j);
    String old = a.recording().facts().leaderBefore();
    j.patroni(a.detectGone(old + "'s /metrics stops answering (no new connection reaches it)",
        MetricsSample.patroni(old)));
    if (!a.recording().plan().sync()) {
      j.allowLoss();
    }
    return j;
  }
}
