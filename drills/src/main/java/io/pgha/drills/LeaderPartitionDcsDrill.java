package io.pgha.drills;

import java.util.Map;

/**
 * The leader's host cannot reach any etcd member; replicas, HAProxy and clients still reach it. Patroni
 * cannot renew the leader key: after loop_wait + retry_timeout it demotes PostgreSQL ("offline": a fast
 * shutdown, which sends the replicas every WAL record first), the key expires after ttl and a replica
 * takes it. Nothing acknowledged may be lost, and no write may be taken by the old leader once the new
 * one leads. The old leader rejoins as a replica once etcd is reachable again.
 */
final class LeaderPartitionDcsDrill extends LeaderPartition {

  @Override
  String cut(DrillContext ctx) throws Exception {
    ctx.control().faults().network().cutFromDcs(ctx.target());
    return ctx.target() + " cut off from " + ctx.facts().etcd();
  }

  @Override
  void judgeOwn(DrillAnalysis a, String old, Judgement j) {
    j.patroni(a.detect("patroni_primary 0 on " + old, MetricsSample.patroni(old),
        s -> s.is("patroni_primary", Map.of(), 0)));
  }
}
