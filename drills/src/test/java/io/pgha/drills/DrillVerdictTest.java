package io.pgha.drills;

import static io.pgha.drills.RecordingBuilder.series;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.etcd.EtcdMetrics;
import io.pgha.patroni.PatroniMetrics;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdicts of the drills that must not move the leader, from made-up recordings. */
class DrillVerdictTest {

  private static final String ETCD = MetricsSample.EXPORTER_ETCD;
  private static final String PATRONI = MetricsSample.EXPORTER_PATRONI;

  /** pg-1 leads throughout; pg-3 is stopped at 5 s, restarted at 70 s, healthy at 75 s. */
  private static RecordingBuilder replicaStop() {
    return RecordingBuilder.of(DrillKind.REPLICA_STOP).target("pg-3")
        .times(3_000, 5_000, 70_000, 75_000, 78_000)
        .writes(0, 78_000, "pg-1").key(0, 78_000, "pg-1", true)
        .position("pg-1", 0, 78_000, true, 1_000_000, 300)
        .metric(PATRONI, 0, 5_800, series(PatroniMetrics.MEMBER_UP.name(), 1, "member", "pg-3"))
        .metric(PATRONI, 5_800, 72_000, series(PatroniMetrics.MEMBER_UP.name(), 0, "member", "pg-3"))
        .metric(MetricsSample.patroni("pg-3"), 0, 6_500).silent(MetricsSample.patroni("pg-3"), 6_500, 72_000)
        .alert(69_500, "firing", "PghaPatroniMemberDown", Map.of("scope", "pgha", "member", "pg-3"))
        .alert(72_000, "firing", "PghaPostgresDown", Map.of("scope", "pgha", "member", "pg-3"))
        .end("pg-1", "pg-2", "pg-3");
  }

  @Test
  void replicaStopPassesWhenWritesGoOnAndTheMonitoringSeesIt() {
    DrillResult r = DrillJudge.result(new ReplicaStopDrill(), replicaStop().build());

    assertThat(r.passed()).as(DrillText.verdict(r)).isTrue();
    assertThat(DrillTable.row(r)).containsExactly("replica-stop", "PASS", "none", "patroni_member_up=0 0.8 s",
        "pg-3's /metrics stops answering 1.5 s", "PghaPatroniMemberDown 64.5 s, +PghaPostgresDown 67.0 s",
        "0 of 1950", "0 ms");
  }

  @Test
  void replicaStopFailsOnAFailedWriteOrALeaderChange() {
    DrillResult failedWrite = DrillJudge.result(new ReplicaStopDrill(),
        replicaStop().writes(6_010, 6_011, null).build());
    DrillResult leaderMoved = DrillJudge.result(new ReplicaStopDrill(),
        replicaStop().key(40_050, 40_060, "pg-2", true).build());

    assertThat(DrillText.missed(failedWrite))
        .isEqualTo("no failed write = 1 failed (08001 Connection to 127.0.0.1:5000 refused) (expected 0 failed writes)");
    assertThat(DrillText.missed(leaderMoved)).isEqualTo("leader unchanged = key held by [pg-2], primaries seen [pg-1]"
        + " (expected pg-1 keeps the key and stays the only primary)");
  }

  @Test
  void replicaStopWaitsForTheAlertUnlessItWasAlreadyFiring() {
    DrillRecording noAlertYet = RecordingBuilder.of(DrillKind.REPLICA_STOP).target("pg-3")
        .times(3_000, 5_000, -1, -1, 20_000).writes(0, 20_000, "pg-1")
        .metric(PATRONI, 5_800, 20_000, series(PatroniMetrics.MEMBER_UP.name(), 0, "member", "pg-3"))
        .silent(MetricsSample.patroni("pg-3"), 6_500, 20_000).build();
    DrillRecording alreadyFiring = RecordingBuilder.of(DrillKind.REPLICA_STOP).target("pg-3")
        .times(3_000, 5_000, -1, -1, 20_000).writes(0, 20_000, "pg-1")
        .metric(PATRONI, 5_800, 20_000, series(PatroniMetrics.MEMBER_UP.name(), 0, "member", "pg-3"))
        .silent(MetricsSample.patroni("pg-3"), 6_500, 20_000)
        .activeBefore("PghaPatroniMemberDown", Map.of("scope", "pgha", "member", "pg-3")).build();

    assertThat(new ReplicaStopDrill().effectsSeen(new DrillAnalysis(noAlertYet))).isFalse();
    assertThat(new ReplicaStopDrill().effectsSeen(new DrillAnalysis(alreadyFiring))).isTrue();
  }

  /** etcd-2 and etcd-3 stopped at 5 s, restored at 60 s; pg-1 demoted at 15 s, writes back at 66 s. */
  private static RecordingBuilder majorityDown(boolean failsafe, long demotedAt) {
    return majorityDown(failsafe, demotedAt, true);
  }

  /** As above; with {@code backAsReplica} false pg-1 stays down from its demotion to the restore. */
  private static RecordingBuilder majorityDown(boolean failsafe, long demotedAt, boolean backAsReplica) {
    RecordingBuilder b = new RecordingBuilder(new DrillPlan(DrillKind.ETCD_MAJORITY_DOWN, false, failsafe, null))
        .target("etcd-2,etcd-3").times(3_000, 5_000, 60_000, 70_000, 72_000)
        .key(0, 72_000, "pg-1", true)
        .metric(ETCD, 0, 5_500, series(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name(), 1))
        .metric(ETCD, 5_500, 62_000, series(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name(), 0))
        .metric(ETCD, 62_000, 72_000, series(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name(), 1))
        .alert(48_000, "firing", "PghaEtcdQuorumLost", Map.of("severity", "critical"))
        .end("pg-1", "pg-2", "pg-3");
    if (failsafe) {
      return b.writes(0, 72_000, "pg-1").position("pg-1", 0, 72_000, true, 1_000_000, 300)
          .metric(MetricsSample.patroni("pg-1"), 0, 12_000, series("patroni_failsafe_mode_is_active", 0))
          .metric(MetricsSample.patroni("pg-1"), 12_000, 72_000, series("patroni_failsafe_mode_is_active", 1));
    }
    b.writes(0, demotedAt, "pg-1").writes(demotedAt, 66_000, null).writes(66_000, 72_000, "pg-1")
        .position("pg-1", 0, demotedAt, true, 1_000_000, 300);
    if (backAsReplica) {
      b.position("pg-1", demotedAt, 65_000, false, 1_100_000, 0);
    } else {
      b.unreachable("pg-1", demotedAt, 65_000);
    }
    return b
        .position("pg-1", 65_000, 72_000, true, 1_100_000, 300)
        .metric(MetricsSample.patroni("pg-1"), 0, demotedAt + 200, series("patroni_primary", 1))
        .metric(MetricsSample.patroni("pg-1"), demotedAt + 200, 65_000, series("patroni_primary", 0));
  }

  @Test
  void majorityDownWithoutFailsafeExpectsADemotionAfterAboutTtl() {
    DrillResult r = DrillJudge.result(new EtcdMajorityDownDrill(), majorityDown(false, 15_000).build());

    assertThat(r.passed()).as(DrillText.verdict(r)).isTrue();
    assertThat(r.plan().title()).isEqualTo("etcd-majority-down (failsafe off)");
    assertThat(r.figures().more()).extracting(Figure::name, Figure::value).containsExactly(
        org.assertj.core.groups.Tuple.tuple(
            "etcd quorum back (" + EtcdMetrics.ETCD_QUORUM_AVAILABLE.name() + " 1) after the restore began", "2.0 s"),
        org.assertj.core.groups.Tuple.tuple("writes flowing again after the restore began", "6.0 s"));
    assertThat(DrillTable.outage(r.figures())).isEqualTo("51.0 s (1275 failed)");
  }

  @Test
  void majorityDownWithoutFailsafeFailsWhenThePrimaryNeverDemotes() {
    DrillResult r = DrillJudge.result(new EtcdMajorityDownDrill(), majorityDown(false, 80_000).build());

    assertThat(r.missed()).extracting(Check::name).contains("primary demotes after about ttl",
        "Patroni /metrics shows it");
  }

  @Test
  void majorityDownWithoutFailsafeTimesTheDemotionFromThePrimaryGoingAwayNotFromItsRestart() {
    DrillResult stayedDown = DrillJudge.result(new EtcdMajorityDownDrill(), majorityDown(false, 15_000, false).build());

    assertThat(stayedDown.missed()).extracting(Check::name).containsExactly("old primary serves reads again without etcd");
    assertThat(DrillText.missed(stayedDown)).isEqualTo(
        "old primary serves reads again without etcd = not seen (expected pg-1 runs in recovery before etcd is restored)");
  }

  @Test
  void majorityDownWithFailsafeExpectsWritesToGoOn() {
    DrillResult ok = DrillJudge.result(new EtcdMajorityDownDrill(), majorityDown(true, 0).build());
    DrillResult failing = DrillJudge.result(new EtcdMajorityDownDrill(),
        majorityDown(true, 0).writes(20_010, 20_100, null).build());

    assertThat(ok.passed()).as(DrillText.verdict(ok)).isTrue();
    assertThat(DrillTable.row(ok).get(4)).isEqualTo("patroni_failsafe_mode_is_active=1 on pg-1 7.0 s");
    assertThat(DrillText.missed(failing)).isEqualTo(
        "writes go on = 3 failed (expected 0 failed writes while etcd has no quorum (failsafe mode))");
  }

  /** HAProxy stopped at 5 s, restarted at 55 s, checks settled at 58 s. */
  private static RecordingBuilder haproxyDown() {
    return RecordingBuilder.of(DrillKind.HAPROXY_DOWN).target("haproxy")
        .times(3_000, 5_000, 55_000, 58_000, 60_000)
        .writes(0, 5_000, "pg-1").writes(5_020, 55_500, null).writes(55_500, 60_000, "pg-1")
        .reads(58_010, 60_000, "pg-2", false)
        .key(0, 60_000, "pg-1", true).position("pg-1", 0, 60_000, true, 1_000_000, 300)
        .metric(MetricsSample.patroni("pg-1"), 0, 60_000).metric(MetricsSample.patroni("pg-2"), 0, 60_000)
        .metric(MetricsSample.patroni("pg-3"), 0, 60_000)
        .alert(47_000, "firing", "PghaHaproxyDown", Map.of("severity", "critical"))
        .end("pg-1", "pg-2", "pg-3");
  }

  @Test
  void haproxyDownPassesWhenClientsAreRefusedAndTheRestIsUntouched() {
    DrillResult r = DrillJudge.result(new HaproxyDownDrill(), haproxyDown().build());

    assertThat(r.passed()).as(DrillText.verdict(r)).isTrue();
    assertThat(DrillTable.row(r)).containsExactly("haproxy-down", "PASS", "50.5 s (1262 failed)", "n/a", "n/a",
        "PghaHaproxyDown 42.0 s", "0 of 238", "0 ms");
  }

  @Test
  void haproxyDownFailsWhenReadsReachThePrimaryAfterTheRestart() {
    DrillResult r = DrillJudge.result(new HaproxyDownDrill(), haproxyDown().reads(58_020, 58_100, "pg-1", true).build());

    assertThat(DrillText.missed(r)).isEqualTo("routing right after the restart = 0 failed writes, 2 reads from the "
        + "primary (expected once HAProxy's checks settled: no failed write, no read from the primary)");
  }

  @Test
  void haproxyDownFailsWhenAMemberStopsAnsweringMeanwhile() {
    DrillResult r = DrillJudge.result(new HaproxyDownDrill(), haproxyDown().silent(MetricsSample.patroni("pg-2"),
        30_010, 30_020).build());

    assertThat(DrillText.missed(r)).isEqualTo("Patroni unaffected = not answering every poll: [pg-2] (expected every "
        + "member's REST API answers every poll while HAProxy is down)");
  }

  @Test
  void aProblemRunningTheDrillFailsItEvenWhenEveryCheckPassed() {
    DrillResult r = DrillJudge.result(new HaproxyDownDrill(), haproxyDown().problem("restore: port taken").build());

    assertThat(r.passed()).isFalse();
    assertThat(DrillTable.verdict(r)).isEqualTo("FAIL (drill problem)");
    assertThat(DrillText.missed(r)).isEqualTo("restore: port taken");
  }
}
