package io.pgha.drills;

import static io.pgha.drills.RecordingBuilder.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pgha.lab.client.LeaderEventsApi;
import io.pgha.patroni.PatroniMetrics;
import io.pgha.patroni.api.HistoryEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The leader-kill verdict from made-up recordings: a failover as seen on the cluster, and ways it misses. */
class LeaderKillVerdictTest {

  private static final String PATRONI = MetricsSample.EXPORTER_PATRONI;
  private static final String ETCD = MetricsSample.EXPORTER_ETCD;

  /**
   * pg-1 killed at 5 s, its last lease renewal (status write) at 4 s; its lease expires at 14.8 s, pg-2
   * takes the key at 14.9 s and acknowledges writes from 15.2 s. exporter-etcd saw the renewal at
   * 3.95 s and pg-2 at 14.88 s: a vacancy of 10.93 s against the drill's 10.9 s.
   */
  static RecordingBuilder failover(long writesBackAt, DrillPlan plan) {
    return new RecordingBuilder(plan)
        .times(3_000, 5_000, 21_000, 28_000, 30_000)
        .writes(0, 5_000, "pg-1").writes(5_040, writesBackAt, null).timeline("pg-2", 2)
        .writes(writesBackAt, 30_000, "pg-2")
        .keyRenewed(0, 5_000, "pg-1", 2_000).key(5_000, 14_800, "pg-1", true).key(14_800, 14_900, null, true)
        .key(14_900, 30_000, "pg-2", true)
        .position("pg-1", 0, 5_000, true, 1_000_000, 500).unreachable("pg-1", 5_000, 21_000)
        .position("pg-1", 25_000, 30_000, false, 1_030_000, 500)
        .position("pg-2", 0, 14_900, false, 999_000, 500).position("pg-2", 14_900, 30_000, true, 1_024_000, 500)
        .exportersSeePg2TakeOverAt15s()
        .alert(20_000, "firing", "PghaPatroniFailover", Map.of("scope", "pgha", "severity", "warning", "from", "pg-1",
            "to", "pg-2", "kind", "expired"))
        .exporterEvent("pg-1", "pg-2", "expired", 14_880, 10_930, 500)
        .history(new HistoryEntry(1, 1_024_000, "no recovery target specified",
            Optional.of(Instant.parse("2025-06-01T12:00:15Z")), Optional.of("pg-2")))
        .end("pg-2", "pg-1", "pg-3");
  }

  static DrillPlan plan(boolean sync) {
    return new DrillPlan(DrillKind.LEADER_KILL, sync, null, null);
  }

  private static DrillResult judge(RecordingBuilder b) {
    return DrillJudge.result(new LeaderKillDrill(), b.build());
  }

  @Test
  void aFailoverWithinTheBoundsPassesWithItsFigures() {
    DrillResult r = judge(failover(15_200, plan(false)));

    assertThat(r.passed()).as(DrillText.verdict(r)).isTrue();
    assertThat(r.figures().writeOutage()).get().satisfies(o -> {
      assertThat(o.millis()).isEqualTo(10_240); // last ok write at 4.96 s, first after at 15.2 s
      assertThat(o.recovered()).isTrue();
    });
    assertThat(r.figures().failedWrites()).isEqualTo(254);
    // pg-1's last primary position: 1 000 000 + 49 samples * 500; the new timeline starts at 1 024 000.
    assertThat(r.figures().wal()).get().satisfies(w -> {
      assertThat(w.oldLeaderLastPosition()).isEqualTo(1_024_500);
      assertThat(w.bytes()).isEqualTo(500);
    });
    assertThat(DrillTable.row(r)).containsExactly("leader-kill", "PASS", "10.2 s (254 failed)",
        "dcs_leader=1 10.0 s, patroni_member_role=1 10.3 s", "patroni_primary=1 on pg-2 10.1 s",
        "PghaPatroniFailover 15.0 s", "0 of 495 (WAL beyond switch: 500 B)", "0 ms");
    assertThat(r.checks()).filteredOn(Check::goal).extracting(Check::name, Check::status).containsExactly(
        tuple("leader key change to writes flowing", Check.Status.PASS), tuple("write outage", Check.Status.PASS));
  }

  @Test
  void anOutageBeyondTheBoundFailsNamingTheFigure() {
    DrillResult r = judge(failover(20_200, plan(false)));

    assertThat(r.passed()).isFalse();
    assertThat(r.missed()).extracting(Check::name).containsExactly("write outage");
    assertThat(DrillText.missed(r)).isEqualTo(
        "write outage = 15.2 s, 379 failed writes (expected at most 14.0 s (ttl + loop_wait + 2 s))");
    assertThat(DrillTable.verdict(r)).isEqualTo("FAIL (missed: write outage)");
    // Goals are reported, never failing on their own.
    assertThat(r.checks()).filteredOn(c -> c.goal() && c.status() == Check.Status.FAIL).extracting(Check::name)
        .containsExactly("leader key change to writes flowing", "write outage");
  }

  @Test
  void asynchronousLossIsCountedButSynchronousModeMustLoseNothing() {
    DrillResult async = judge(failover(15_200, plan(false)).lost(2));
    DrillResult sync = judge(failover(15_200, plan(true)).lost(2));

    assertThat(async.passed()).isTrue();
    assertThat(DrillTable.lost(async.figures())).isEqualTo("2 of 495 (WAL beyond switch: 500 B)");
    assertThat(sync.passed()).isFalse();
    assertThat(DrillText.missed(sync)).isEqualTo("acknowledged writes kept = 2 of 495 lost (expected 0 lost)");
    assertThat(sync.plan().title()).isEqualTo("leader-kill --sync");
  }

  @Test
  void anAlertAlreadyFiringBeforeTheFaultIsNotMeasuredRatherThanFailed() {
    RecordingBuilder b = failover(15_200, plan(true)).activeBefore("PghaPatroniFailover",
        Map.of("scope", "pgha", "from", "pg-1", "to", "pg-3", "kind", "expired"));
    DrillResult r = DrillJudge.result(new LeaderKillDrill(), withoutAlerts(b.build()));

    assertThat(r.passed()).isTrue();
    assertThat(r.checks()).filteredOn(c -> c.name().equals("alert PghaPatroniFailover delivered"))
        .extracting(Check::status).containsExactly(Check.Status.NOT_MEASURED);
    assertThat(DrillTable.alerts(r.figures().alerts())).isEqualTo("PghaPatroniFailover (already firing)");
  }

  /** Killing the leader of a cluster with no failover candidate: the verdict shows the alert that foretold it. */
  @Test
  void aLeaderKilledWhileNoCandidateWasLeftShowsTheAlertThatFiredBefore() {
    RecordingBuilder b = failover(15_200, plan(false))
        .activeBefore("PghaPatroniNoFailoverCandidate", Map.of("scope", "pgha", "severity", "critical"))
        .activeBefore("PghaPatroniMemberDown", Map.of("scope", "pgha", "member", "pg-3"));
    DrillResult r = judge(b);

    assertThat(r.figures().alerts()).filteredOn(a -> !a.expected())
        .extracting(AlertDelivery::alertname, AlertDelivery::labels, AlertDelivery::alreadyActive)
        .containsExactly(tuple("PghaPatroniNoFailoverCandidate", Map.of("scope", "pgha", "severity", "critical"), true));
    assertThat(DrillTable.alerts(r.figures().alerts()))
        .isEqualTo("PghaPatroniFailover 15.0 s, +PghaPatroniNoFailoverCandidate (firing before the fault)");
    assertThat(DrillTable.alerts(judge(failover(15_200, plan(false))).figures().alerts()))
        .as("nothing foretold it").isEqualTo("PghaPatroniFailover 15.0 s");
  }

  @Test
  void anUndeliveredAlertAndMissingCounterFail() {
    DrillRecording rec = withoutAlerts(failover(15_200, plan(false)).build());
    List<MetricsSample> noPghaCounter = rec.metrics().stream().map(s -> !s.source().equals(PATRONI) ? s
        : new MetricsSample(s.atMillis(), s.source(), true, s.series().stream()
            .filter(x -> !x.name().equals(LeaderChange.PGHA_CHANGES)).toList())).toList();
    DrillResult r = DrillJudge.result(new LeaderKillDrill(), copy(rec, noPghaCounter));

    assertThat(r.missed()).extracting(Check::name, Check::measured).containsExactly(
        tuple(PatroniMetrics.LEADER_CHANGES.name() + " +1", "not read before and after the fault"),
        tuple("alert PghaPatroniFailover delivered", "not delivered within 25.0 s of the fault"));
  }

  @Test
  void exporterEtcdTellingAnotherKindOrAVacancyFarFromTheDrillsFails() {
    DrillResult wrongKind = judge(failover(15_200, plan(false)).exporterEvent("pg-1", "pg-2", "released", 14_880, 100, 0));
    DrillResult late = judge(failover(15_200, plan(false)).exporterEvent("pg-1", "pg-2", "expired", 14_880, 10_650, 500));
    DrillResult silent = DrillJudge.result(new LeaderKillDrill(), withoutEvents(failover(15_200, plan(false)).build()));

    assertThat(wrongKind.missed()).extracting(Check::name, Check::measured).contains(
        tuple("exporter-etcd event", "pg-1 -> pg-2 (released)"));
    assertThat(late.missed()).extracting(Check::name, Check::expected, Check::measured).containsExactly(
        tuple("vacancy: exporter-etcd against the drill", "within 200 ms of the drill's 10.9 s", "10.650 s (-250 ms)"));
    assertThat(silent.missed()).extracting(Check::name, Check::measured).containsExactly(
        tuple("exporter-etcd event", "none in /events"),
        tuple("vacancy: exporter-etcd against the drill", "exporter-etcd did not tell it"));
  }

  @Test
  void theVacancyOfAnExpiredLeaseCountsFromTheLastRenewalTheDrillSaw() {
    DrillAnalysis a = new DrillAnalysis(failover(15_200, plan(false)).build());

    assertThat(a.vacancyMillis(true)).hasValue(10_900);
    assertThat(a.vacancyMillis(false)).as("from the key seen vacant").hasValue(100);
    assertThat(judge(failover(15_200, plan(false))).figures().more()).extracting(Figure::name, Figure::value).contains(
        tuple("exporter-etcd WAL at risk (old leader's last reported position beyond the switch LSN)", "500 B"));
  }

  /**
   * The kill fell between Patroni's lease renewal and its {@code status} write (seen on the TLS
   * cluster): the last {@code status} write seen (3.95 s) is a loop before the last renewal, and the
   * key left at 16.35 s, 12.4 s after it. etcd revokes within ttl + 1 s of the last renewal, so that
   * renewal was no earlier than 5.35 s: the drill's vacancy counts from there, as exporter-etcd's does.
   */
  @Test
  void anExpiredLeaseRenewedAfterItsLastStatusWriteCountsFromTheKeyLeavingLessTtlAndOneSecond() {
    RecordingBuilder b = new RecordingBuilder(plan(false)).times(3_000, 5_000, 21_000, 28_000, 30_000)
        .keyRenewed(0, 5_000, "pg-1", 2_000).key(5_000, 16_400, "pg-1", true).key(16_400, 16_500, null, true)
        .key(16_500, 30_000, "pg-2", true);

    assertThat(new DrillAnalysis(b.build()).vacancyMillis(true)).as("16.45 s less (16.35 s less 11 s), not less 3.95 s")
        .hasValue(11_100);
    Judgement agrees = new Judgement();
    LeaderChange.exporterEvent(new DrillAnalysis(b.exporterEvent("pg-1", "pg-2", "expired", 16_420, 11_070, 0).build()),
        agrees, "expired", false);
    assertThat(agrees.checks).filteredOn(c -> c.name().startsWith("vacancy"))
        .extracting(Check::measured, Check::status).containsExactly(tuple("11.070 s (-30 ms)", Check.Status.PASS));
  }

  @Test
  void noNewLeaderFailsEveryLeaderCheck() {
    DrillRecording rec = failover(15_200, plan(false)).build();
    List<LeaderKeySample> stuck = rec.leaderKeys().stream()
        .map(k -> new LeaderKeySample(k.atMillis(), true, k.atMillis() >= rec.faultAtMillis() ? null : "pg-1")).toList();
    DrillRecording noLeader = with(rec, rec.metrics(), stuck, rec.alerts(), rec.exporterEvents());
    DrillResult r = DrillJudge.result(new LeaderKillDrill(), noLeader);

    assertThat(r.missed()).extracting(Check::name).contains("new leader", "writes reach the new leader",
        "old leader rejoins as a replica");
    assertThat(new LeaderKillDrill().effectsSeen(new DrillAnalysis(noLeader))).isFalse();
    assertThat(new LeaderKillDrill().effectsSeen(new DrillAnalysis(rec))).isTrue();
  }

  private static DrillRecording withoutEvents(DrillRecording r) {
    return with(r, r.metrics(), r.leaderKeys(), r.alerts(), List.of());
  }

  private static DrillRecording withoutAlerts(DrillRecording r) {
    return with(r, r.metrics(), r.leaderKeys(), List.of(), r.exporterEvents());
  }

  private static DrillRecording copy(DrillRecording r, List<MetricsSample> metrics) {
    return with(r, metrics, r.leaderKeys(), r.alerts(), r.exporterEvents());
  }

  /** {@code r} with these metrics, leader-key samples, alerts and exporter events; the rest as recorded. */
  private static DrillRecording with(DrillRecording r, List<MetricsSample> metrics, List<LeaderKeySample> keys,
      List<AlertSeen> alerts, List<LeaderEventsApi.Event> events) {
    return new DrillRecording(r.plan(), r.facts(), r.target(), r.startedAtMillis(), r.steadyAtMillis(),
        r.faultAtMillis(), r.restoreAtMillis(), r.convergedAtMillis(), r.endedAtMillis(), r.marks(), r.outcomes(),
        metrics, r.positions(), keys, r.routes(), alerts, r.activeBeforeFault(), r.ledger(), r.history(),
        r.leaderAtEnd(), r.streamingAtEnd(), r.acknowledged(), r.held(), r.reread(), r.values(), r.problems(), events);
  }
}
