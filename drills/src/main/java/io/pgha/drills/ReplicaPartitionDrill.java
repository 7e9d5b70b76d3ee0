package io.pgha.drills;

import io.pgha.patroni.PatroniMetrics;
import io.pgha.postgres.PostgresMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One replica's host cut off from the leader's, both ways (replication and Patroni's REST API); both
 * still reach etcd, so Patroni keeps listing the replica, and it keeps reporting how much WAL it received.
 * Its lag grows; the leader's walsender gives up after wal_sender_timeout (60 s), then
 * PghaPostgresReplicaNotStreaming fires (after its 2 m). Writes do not notice. Once the network is back
 * the replica reconnects and catches up.
 */
final class ReplicaPartitionDrill implements Drill {

  /** The lag (Patroni's view) that counts as "growing": a few seconds of the drill's traffic. */
  static final long LAG_SHOWN_BYTES = 16 * 1024;

  /** The replica replica-stop would stop. */
  @Override
  public String target(DrillPlan plan, ClusterFacts facts, ClusterControl control) {
    return new ReplicaStopDrill().target(plan, facts, control);
  }

  @Override
  public List<ExpectedAlert> expectedAlerts(ClusterFacts facts, String target) {
    return List.of(new ExpectedAlert("PghaPostgresReplicaNotStreaming", Map.of("scope", facts.scope(), "member", target)));
  }

  @Override
  public void inject(DrillContext ctx) throws Exception {
    ctx.control().faults().network().partition(ctx.target(), ctx.facts().leaderBefore());
    ctx.say(ctx.target() + " and " + ctx.facts().leaderBefore() + " cut off from each other ("
        + ctx.control().faults().network().rules().size() + " iptables rules)");
  }

  private static Detection pghaLag(DrillAnalysis a) {
    String m = a.recording().target();
    return a.detect(PatroniMetrics.MEMBER_LAG_BYTES.name() + "{member=\"" + m + "\"} >= " + Fmt.bytes(LAG_SHOWN_BYTES),
        MetricsSample.EXPORTER_PATRONI, s -> s.value(PatroniMetrics.MEMBER_LAG_BYTES.name(), Map.of("member", m))
            .orElse(0) >= LAG_SHOWN_BYTES);
  }

  private static Detection patroniLag(DrillAnalysis a) {
    return a.detectPatroniLag(a.recording().facts().leaderBefore(), a.recording().target(), LAG_SHOWN_BYTES);
  }

  @Override
  public List<Detection> effects(DrillAnalysis a) {
    return List.of(pghaLag(a), patroniLag(a));
  }

  /** wal_sender_timeout (60 s), the alert's 2 m, an evaluation and Alertmanager's group wait. */
  @Override
  public Duration observeAtMost(ClusterFacts facts) {
    return Duration.ofSeconds(240);
  }

  @Override
  public Judgement judge(DrillAnalysis a) {
    DrillRecording r = a.recording();
    String replica = r.target();
    String leader = r.facts().leaderBefore();
    long restore = r.restored() ? r.restoreAtMillis() : r.endedAtMillis();
    Judgement j = new Judgement();
    Stability.expectLeaderUnchanged(a, j, r.endedAtMillis());
    Outages.expectNone(a, j);
    j.pgha(pghaLag(a));
    j.patroni(patroniLag(a));
    OptionalDouble maxLag = a.max(MetricsSample.EXPORTER_PATRONI, PatroniMetrics.MEMBER_LAG_BYTES.name(),
        Map.of("member", replica), a.faultAt(), restore);
    maxLag.ifPresent(l -> j.figure("largest lag pgha_patroni_member_lag_bytes showed", Fmt.bytes((long) l)));
    OptionalLong notStreaming = a.recording().metrics().stream()
        .filter(s -> s.source().equals(MetricsSample.EXPORTER_POSTGRES) && s.answered() && s.atMillis() >= a.faultAt()
            && s.is(PostgresMetrics.WAL_RECEIVER_STREAMING.name(), Map.of("member", replica), 0))
        .mapToLong(MetricsSample::atMillis).findFirst();
    j.figure(PostgresMetrics.WAL_RECEIVER_STREAMING.name() + "{member=\"" + replica + "\"} 0",
        notStreaming.isPresent() ? "after " + Fmt.seconds(notStreaming.getAsLong() - a.faultAt())
            + " (wal_receiver_timeout)" : "not seen");
    OptionalLong caughtUp = caughtUp(a, leader, replica, restore);
    j.expect("catches up after the heal", replica + " replays the WAL " + leader + " had when the network came back",
        caughtUp.isPresent() ? "after " + Fmt.seconds(caughtUp.getAsLong() - restore) : "not seen",
        caughtUp.isPresent());
    boolean streaming = r.streamingAtEnd().stream().anyMatch(s -> s.startsWith(replica));
    j.expect("streams again", replica + " in pg_stat_replication, state streaming", "streaming at the end: "
        + r.streamingAtEnd(), streaming);
    return j;
  }

  /** When the replica's replay position first reached the leader's position at the heal. */
  static OptionalLong caughtUp(DrillAnalysis a, String leader, String replica, long heal) {
    OptionalLong target = a.recording().positions().stream()
        .filter(p -> p.member().equals(leader) && p.primary() && p.atMillis() <= heal)
        .mapToLong(PositionSample::walBytes).max();
    if (target.isEmpty()) {
      return OptionalLong.empty();
    }
    return a.recording().positions().stream()
        .filter(p -> p.member().equals(replica) && p.reachable() && p.atMillis() >= heal
            && p.walBytes() >= target.getAsLong())
        .mapToLong(PositionSample::atMillis).findFirst();
  }
}
