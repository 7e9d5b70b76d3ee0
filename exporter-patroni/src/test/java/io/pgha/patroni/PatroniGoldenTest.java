package io.pgha.patroni;

import static io.pgha.common.Golden.golden;
import static io.pgha.patroni.Recordings.V3;
import static io.pgha.patroni.Recordings.V4;
import static io.pgha.patroni.Recordings.answered;
import static io.pgha.patroni.Recordings.cluster;
import static io.pgha.patroni.Recordings.history;
import static io.pgha.patroni.Recordings.render;
import static io.pgha.patroni.Recordings.samples;
import static io.pgha.patroni.Recordings.samplesWithoutStates;
import static io.pgha.patroni.Recordings.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.common.MetricFamily;
import io.pgha.patroni.api.HistoryEntry;
import io.pgha.patroni.api.PatroniJson;
import io.pgha.patroni.api.PatroniVocabulary;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden exposition text from responses recorded on a live Patroni 3.0.2 cluster (see
 * src/test/resources/recorded/README.md) and from 4.x responses written from Patroni's documentation.
 */
class PatroniGoldenTest {
  private static final String FRESH = V3 + "01-fresh/";
  private static final String AFTER_FAILOVERS = V3 + "05-after-failovers/";

  private static String leaderAndStateLines(String text) {
    return text.lines().filter(l -> l.startsWith(PatroniMetrics.MEMBER_STATE.name() + "{") && l.endsWith(" 1.0"))
        .collect(Collectors.joining("\n", "", "\n"));
  }

  @Test
  void freshClusterOf302() {
    String text = render("h2demo", Optional.of(cluster(FRESH)),
        List.of(answered(FRESH, "pg-1"), answered(FRESH, "pg-2"), answered(FRESH, "pg-3")), history(FRESH));
    assertThat(text).isEqualTo(golden("PatroniGoldenTest/freshClusterOf302"));
  }

  @Test
  void afterTwoSwitchoversAFailoverAndASelfRepromotion() {
    String text = render("h2demo", Optional.of(cluster(AFTER_FAILOVERS)),
        List.of(answered(AFTER_FAILOVERS, "pg-1"), answered(AFTER_FAILOVERS, "pg-2"), answered(AFTER_FAILOVERS, "pg-3")),
        history(AFTER_FAILOVERS));
    assertThat(samples(text, List.of(PatroniMetrics.PROMOTIONS.name(), PatroniMetrics.LEADER_CHANGES.name(),
        PatroniMetrics.LAST_PROMOTION_TIMESTAMP_SECONDS.name(), PatroniMetrics.LEADER.name(), PatroniMetrics.MEMBER_TIMELINE.name())))
        .isEqualTo(golden("PatroniGoldenTest/afterTwoSwitchoversAFailoverAndASelfRepromotion"));
    assertThat(text).contains("# TYPE pgha_patroni_last_promotion_timestamp_seconds gauge\n");
  }

  @Test
  void leaderChangesAlongTheRecordedHistory() {
    assertThat(HistorySummary.of(history(V3 + "02-after-switchover/")).leaderChanges()).isEqualTo(1);
    assertThat(HistorySummary.of(history(V3 + "03-after-two-switchovers/")).leaderChanges()).isEqualTo(2);
    assertThat(HistorySummary.of(history(V3 + "04-after-failover-pg3-down/")).leaderChanges()).isEqualTo(3);
    assertThat(HistorySummary.of(history(V3 + "04-after-failover-pg3-down/")).promotions()).isEqualTo(3);
  }

  static Stream<Arguments> everyMemberAnswered() {
    return Stream.of(
        Arguments.of("pausedCluster", V3 + "06-paused/",
            List.of(PatroniMetrics.CLUSTER_PAUSED, PatroniMetrics.CLUSTER_HAS_LEADER, PatroniMetrics.UP)),
        Arguments.of("synchronousStandbyLaggingReplicaAndPendingRestart", V3 + "07-sync-lagging-pending-restart/",
            List.of(PatroniMetrics.MEMBER_ROLE, PatroniMetrics.MEMBER_LAG_BYTES, PatroniMetrics.MEMBER_PENDING_RESTART)));
  }

  /** Every member answered as recorded in {@code dir}: the samples of {@code families}, as in the golden file. */
  @ParameterizedTest(name = "{0}")
  @MethodSource
  void everyMemberAnswered(String golden, String dir, List<MetricFamily> families) {
    String text = render("h2demo", Optional.of(cluster(dir)),
        List.of(answered(dir, "pg-1"), answered(dir, "pg-2"), answered(dir, "pg-3")), history(dir));
    assertThat(samples(text, families.stream().map(MetricFamily::name).toList())).isEqualTo(golden("PatroniGoldenTest/" + golden));
  }

  @Test
  void stoppedReplicaStillListedInTheDcs() {
    String dir = V3 + "08-replica-stopped/";
    String text = render("h2demo", Optional.of(cluster(dir)),
        List.of(answered(dir, "pg-1"), unreachable("pg-2"), answered(dir, "pg-3")), history(dir));
    assertThat(samplesWithoutStates(text).replaceAll("(?m)^pgha_patroni_member_role.*\\n", "")).isEqualTo(golden("PatroniGoldenTest/stoppedReplicaStillListedInTheDcs"));
    assertThat(leaderAndStateLines(text)).isEqualTo(golden("PatroniGoldenTest/stoppedReplicaStillListedInTheDcs-2"));
  }

  @Test
  void midSwitchoverTheOldLeaderIsStoppedAndAReplicaLags() {
    String text = render("h2demo", Optional.of(cluster(V3 + "09-mid-switchover/")), List.of(), null);
    assertThat(samples(text, List.of(PatroniMetrics.LEADER.name(), PatroniMetrics.MEMBER_LAG_BYTES.name(), PatroniMetrics.MEMBER_TIMELINE.name(),
        PatroniMetrics.CLUSTER_LEADERS.name(), PatroniMetrics.CLUSTER_FAILSAFE_ACTIVE.name())))
        .isEqualTo(golden("PatroniGoldenTest/midSwitchoverTheOldLeaderIsStoppedAndAReplicaLags"));
    assertThat(leaderAndStateLines(text)).isEqualTo(golden("PatroniGoldenTest/midSwitchoverTheOldLeaderIsStoppedAndAReplicaLags-2"));
  }

  @Test
  void killedLeaderIsStillTheDcsLeaderWhileItsApiIsDown() {
    String replicas = V3 + "03-after-two-switchovers/";
    String text = render("h2demo", Optional.of(cluster(V3 + "10-leader-killed/")),
        List.of(answered(replicas, "pg-1"), answered(replicas, "pg-2"), unreachable("pg-3")), null);
    assertThat(samples(text, List.of(PatroniMetrics.LEADER.name(), PatroniMetrics.CLUSTER_LEADERS.name(), PatroniMetrics.CLUSTER_HAS_LEADER.name(),
        PatroniMetrics.MEMBER_UP.name(), PatroniMetrics.UP.name())))
        .isEqualTo(golden("PatroniGoldenTest/killedLeaderIsStillTheDcsLeaderWhileItsApiIsDown"));
  }

  @Test
  void dcsDownNoClusterViewButMembersStillAnswer() {
    String dir = V3 + "11-dcs-down/";
    String text = render("h2demo", Optional.empty(), List.of(answered(dir, "pg-1"), answered(dir, "pg-2"), unreachable("pg-3")), null);
    assertThat(samplesWithoutStates(text)).isEqualTo(golden("PatroniGoldenTest/dcsDownNoClusterViewButMembersStillAnswer"));
  }

  @Test
  void noMemberReachable() {
    String text = render("h2demo", Optional.empty(), List.of(unreachable("pg-1"), unreachable("pg-2")), null);
    assertThat(samplesWithoutStates(text)).isEqualTo(golden("PatroniGoldenTest/noMemberReachable"));
  }

  @Test
  void splitBrainTwoMembersRunAsPrimary() {
    // The DCS names pg-1 leader, and pg-3 still runs as primary (its /patroni from when it led, timeline 3).
    String text = render("h2demo", Optional.of(cluster(AFTER_FAILOVERS)),
        List.of(answered(AFTER_FAILOVERS, "pg-1"), answered(AFTER_FAILOVERS, "pg-2"), answered(V3 + "03-after-two-switchovers/", "pg-3")),
        null);
    assertThat(samples(text, List.of(PatroniMetrics.CLUSTER_LEADERS.name(), PatroniMetrics.CLUSTER_HAS_LEADER.name())))
        .isEqualTo(golden("PatroniGoldenTest/splitBrainTwoMembersRunAsPrimary"));
  }

  @Test
  void patroni4ShapedResponsesFromTheDocumentation() {
    String text = render("demo", Optional.of(cluster(V4)),
        List.of(answered(V4, "patroni1"), answered(V4, "patroni2"), answered(V4, "patroni3")), history(V4));
    assertThat(samplesWithoutStates(text)).isEqualTo(golden("PatroniGoldenTest/patroni4ShapedResponsesFromTheDocumentation"));
    assertThat(leaderAndStateLines(text)).isEqualTo(golden("PatroniGoldenTest/patroni4ShapedResponsesFromTheDocumentation-2"));
  }

  @Test
  void failsafeModeActiveAsPatroni4ReportsIt() {
    MemberProbe failsafe = new MemberProbe.Answered("patroni1", Recordings.apiUrl("patroni1"),
        PatroniJson.status(Recordings.json(V4 + "patroni-failsafe.json")));
    String text = render("demo", Optional.empty(), List.of(failsafe), null);
    assertThat(samples(text, List.of(PatroniMetrics.CLUSTER_FAILSAFE_ACTIVE.name(), PatroniMetrics.CLUSTER_LEADERS.name(), PatroniMetrics.UP.name())))
        .isEqualTo(golden("PatroniGoldenTest/failsafeModeActiveAsPatroni4ReportsIt"));
  }

  @ParameterizedTest(name = "role {0} is {1}")
  @CsvSource({"master, leader", "quorum_standby, sync_standby", "witness, other"})
  void patroniRolesInOurVocabulary(String patroni, String ours) {
    assertThat(PatroniVocabulary.role(patroni)).isEqualTo(ours);
  }

  @ParameterizedTest(name = "state ''{0}'' is {1}")
  @CsvSource({"restart failed (running), restart_failed", "in archive recovery, in_archive_recovery", "'', other",
      "dancing, other"})
  void unknownStatesBecomeOther(String patroni, String ours) {
    assertThat(PatroniVocabulary.state(patroni)).isEqualTo(ours);
  }

  @Test
  void aHistoryCutByMaxTimelinesHistoryStillCountsEveryPromotion() {
    List<HistoryEntry> cut = PatroniJson.history(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(List.of(
        List.of(7, 100, "no recovery target specified", "2024-01-01T00:00:00+00:00", "a"),
        List.of(8, 200, "no recovery target specified", "2024-01-02T00:00:00+00:00", "b"))));
    assertThat(HistorySummary.of(cut).promotions()).isEqualTo(8);
  }
}
