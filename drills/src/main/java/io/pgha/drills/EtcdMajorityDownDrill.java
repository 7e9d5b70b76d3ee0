package io.pgha.drills;

import io.pgha.etcd.EtcdMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Stop two of the three etcd members at once: etcd loses its quorum and Patroni cannot renew the
 * leader key. With failsafe_mode off the primary demotes itself after about ttl and writes fail until
 * etcd returns; with failsafe_mode on it keeps running while it reaches every member, and writes go
 * on. PghaEtcdQuorumLost fires (after its 30 s) in both; the recovery after the restore is measured.
 */
final class EtcdMajorityDownDrill implements Drill {

  /** The last two members in cluster.json order (or the named one and the last other). */
  @Override
  public String target(DrillPlan plan, ClusterFacts facts, ClusterControl control) {
    List<String> etcd = facts.etcd();
    return plan.chosenTarget(etcd, "an etcd member")
        .map(chosen -> chosen + "," + etcd.stream().filter(e -> !e.equals(chosen)).reduce((x, y) -> y).orElseThrow())
        .orElse(String.join(",", etcd.subList(etcd.size() - 2, etcd.size())));
  }

  private static boolean failsafe(DrillRecording r) {
    return Boolean.TRUE.equals(r.plan().failsafe());
  }

  @Override
  public List<ExpectedAlert> expectedAlerts(ClusterFacts facts, String target) {
    return List.of(new ExpectedAlert("PghaEtcdQuorumLost", Map.of()));
  }

  @Override
  public void inject(DrillContext ctx) throws Exception {
    ctx.control().faults().stopEtcd(List.of(ctx.target().split(",")));
    ctx.say(ctx.target() + " have exited");
  }

  private static Detection quorumLost(DrillAnalysis a) {
    return a.detect(MetricsSample.EXPORTER_ETCD, EtcdMetrics.ETCD_QUORUM_AVAILABLE.name(), 0);
  }

  /** Failsafe off: the old leader stops being primary. Failsafe on: it says failsafe is active. */
  private static Detection patroniShows(DrillAnalysis a) {
    DrillRecording r = a.recording();
    String leader = r.facts().leaderBefore();
    if (failsafe(r)) {
      return a.detect("patroni_failsafe_mode_is_active 1 on " + leader, MetricsSample.patroni(leader),
          s -> s.is("patroni_failsafe_mode_is_active", Map.of(), 1));
    }
    return a.detect("patroni_primary 0 on " + leader, MetricsSample.patroni(leader),
        s -> s.is("patroni_primary", Map.of(), 0));
  }

  @Override
  public List<Detection> effects(DrillAnalysis a) {
    return List.of(quorumLost(a), patroniShows(a));
  }

  /** Without failsafe mode it also waits for the old leader's demotion. */
  @Override
  public boolean effectsSeen(DrillAnalysis a) {
    DrillRecording r = a.recording();
    return Drill.super.effectsSeen(a) && (failsafe(r) || a.inRecoverySince(r.facts().leaderBefore()).isPresent());
  }

  @Override
  public Duration observeAtMost(ClusterFacts facts) {
    return Duration.ofSeconds(120);
  }

  @Override
  public Judgement judge(DrillAnalysis a) {
    DrillRecording r = a.recording();
    ClusterFacts facts = r.facts();
    String leader = facts.leaderBefore();
    long restore = r.faultEndMillis();
    Judgement j = new Judgement();
    j.pgha(quorumLost(a));
    j.patroni(patroniShows(a));
    if (failsafe(r)) {
      int failed = a.failedWrites(a.faultAt(), restore);
      j.expect("writes go on", "0 failed writes while etcd has no quorum (failsafe mode)", failed + " failed",
          failed == 0);
      Stability.expectLeaderUnchanged(a, j, r.endedAtMillis());
    } else {
      // Patroni's bound is on the primary going away (it demotes when it cannot renew its key); the
      // start as a read-only replica that follows takes a shutdown checkpoint and a start-up on top.
      OptionalLong demoted = a.notPrimarySince(leader);
      long limit = (facts.ttl() + facts.loopWait() + facts.retryTimeout()) * 1000L;
      j.expect("primary demotes after about ttl", leader + " seen in recovery or down within ttl + loop_wait + retry_timeout ("
              + Fmt.seconds(limit) + ")", demoted.isPresent() ? "after " + Fmt.seconds(demoted.getAsLong() - a.faultAt())
              : "still primary", demoted.isPresent() && demoted.getAsLong() - a.faultAt() <= limit);
      OptionalLong replica = a.inRecoverySince(leader);
      j.expect("old primary serves reads again without etcd", leader + " runs in recovery before etcd is restored",
          replica.isPresent() ? "after " + Fmt.seconds(replica.getAsLong() - a.faultAt()) : "not seen",
          replica.isPresent() && replica.getAsLong() < restore);
      if (demoted.isPresent()) {
        // Writes in flight at the demotion may still commit; from one second later none may.
        int acked = a.okWrites(demoted.getAsLong() + 1000, restore);
        j.expect("writes fail until etcd returns", "no write acknowledged from the demotion to the restore",
            acked + " acknowledged", acked == 0);
      }
    }
    OptionalLong back = a.firstAckedWrite(restore, null);
    OptionalLong quorumBack = a.recording().metrics().stream()
        .filter(s -> s.source().equals(MetricsSample.EXPORTER_ETCD) && s.atMillis() >= restore
            && s.is(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name(), Map.of(), 1)).mapToLong(MetricsSample::atMillis).findFirst();
    j.figure("etcd quorum back (" + EtcdMetrics.ETCD_QUORUM_AVAILABLE.name() + " 1) after the restore began",
        quorumBack.isPresent() ? Fmt.seconds(quorumBack.getAsLong() - restore) : "not seen");
    if (!failsafe(r)) {
      OptionalLong outageEnd = a.longestOutage().filter(o -> o.recovered()).map(o -> OptionalLong.of(o.toMillis()))
          .orElse(OptionalLong.empty());
      j.figure("writes flowing again after the restore began",
          outageEnd.isPresent() ? Fmt.seconds(outageEnd.getAsLong() - restore) : "not seen");
      j.expect("writes come back after the restore", "a write acknowledged after etcd is back",
          back.isPresent() ? "yes" : "none", back.isPresent());
    }
    return j;
  }
}
