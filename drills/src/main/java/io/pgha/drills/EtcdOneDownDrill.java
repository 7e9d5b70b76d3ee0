package io.pgha.drills;

import io.pgha.etcd.EtcdMetrics;
import java.util.List;
import java.util.Map;

/**
 * Stop one etcd member (by default the raft leader, the harder case: the others elect a new one).
 * Writes must not notice; etcd keeps its quorum with no failure left to tolerate, and
 * PghaEtcdQuorumAtRisk fires (after its 1 m).
 */
final class EtcdOneDownDrill implements Drill {

  @Override
  public String target(DrillPlan plan, ClusterFacts facts, ClusterControl control) {
    return plan.chosenTarget(facts.etcd(), "an etcd member")
        .orElseGet(() -> control.etcdLeader().orElse(facts.etcd().get(facts.etcd().size() - 1)));
  }

  @Override
  public List<ExpectedAlert> expectedAlerts(ClusterFacts facts, String target) {
    return List.of(new ExpectedAlert("PghaEtcdQuorumAtRisk", Map.of()));
  }

  @Override
  public void inject(DrillContext ctx) throws Exception {
    ctx.control().faults().stopEtcd(List.of(ctx.target()));
    ctx.say(ctx.target() + " has exited");
  }

  static Detection atRisk(DrillAnalysis a) {
    return a.detect(MetricsSample.EXPORTER_ETCD, EtcdMetrics.ETCD_FAILURES_TOLERABLE.name(), 0);
  }

  private static Detection memberDown(DrillAnalysis a) {
    return a.detect(MetricsSample.EXPORTER_ETCD, EtcdMetrics.ETCD_MEMBER_UP.name(), 0, "member", a.recording().target());
  }

  @Override
  public List<Detection> effects(DrillAnalysis a) {
    return List.of(atRisk(a), memberDown(a));
  }

  @Override
  public Judgement judge(DrillAnalysis a) {
    Judgement j = Stability.riddenThrough(a);
    DrillRecording r = a.recording();
    long restore = r.faultEndMillis();
    List<MetricsSample> during = a.samples(MetricsSample.EXPORTER_ETCD, a.faultAt(), restore);
    long lost = during.stream().filter(s -> s.is(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name(), Map.of(), 0)).count();
    j.expect("quorum kept", EtcdMetrics.ETCD_QUORUM_AVAILABLE.name() + " 1 while " + r.target() + " is down",
        during.isEmpty() ? "exporter-etcd never answered" : lost + " of " + during.size() + " samples without quorum",
        !during.isEmpty() && lost == 0);
    j.pgha(atRisk(a));
    j.pgha(memberDown(a));
    return j;
  }
}
