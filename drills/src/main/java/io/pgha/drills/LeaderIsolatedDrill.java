package io.pgha.drills;

/**
 * The leader's host reaches nothing and nothing new reaches it: not etcd, not the replicas (replication
 * stops both ways), not HAProxy's checks, no new client. Sessions clients opened before go on (a session
 * held straight to it shows until when it took writes). Patroni demotes as in leader-partition-dcs, a
 * replica takes the key after ttl. Without synchronous replication the writes the isolated leader took
 * after the cut never reached a replica: they are lost, and counted; with {@code --sync} it could not
 * acknowledge any, and none may be lost.
 */
final class LeaderIsolatedDrill extends LeaderPartition {

  @Override
  String cut(DrillContext ctx) throws Exception {
    ctx.control().faults().network().isolate(ctx.target());
    return ctx.target() + " isolated";
  }

  @Override
  void judgeOwn(DrillAnalysis a, String old, Judgement j) {
    j.patroni(a.detectGone(old + "'s /metrics stops answering (no new connection reaches it)",
        MetricsSample.patroni(old)));
    if (!a.recording().plan().sync()) {
      j.allowLoss();
    }
  }
}
