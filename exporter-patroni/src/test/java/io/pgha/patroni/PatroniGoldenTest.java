package io.pgha.patroni;

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

import io.pgha.patroni.api.HistoryEntry;
import io.pgha.patroni.api.PatroniJson;
import io.pgha.patroni.api.PatroniVocabulary;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

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
    assertThat(text).isEqualTo("""
        # HELP pgha_patroni_cluster_failsafe_active 1 if a member reports DCS failsafe mode active (GET /patroni failsafe_mode_is_active).
        # TYPE pgha_patroni_cluster_failsafe_active gauge
        pgha_patroni_cluster_failsafe_active{scope="h2demo"} 0.0
        # HELP pgha_patroni_cluster_has_leader 1 if a member holds the leader key (GET /cluster lists a leader or standby_leader).
        # TYPE pgha_patroni_cluster_has_leader gauge
        pgha_patroni_cluster_has_leader{scope="h2demo"} 1.0
        # HELP pgha_patroni_cluster_leaders How many members claim the leader role: the DCS leader key holder and every member whose PostgreSQL runs as primary (or standby leader) by its own GET /patroni. More than 1 is a split brain.
        # TYPE pgha_patroni_cluster_leaders gauge
        pgha_patroni_cluster_leaders{scope="h2demo"} 1.0
        # HELP pgha_patroni_cluster_members Members registered in the DCS (GET /cluster).
        # TYPE pgha_patroni_cluster_members gauge
        pgha_patroni_cluster_members{scope="h2demo"} 3.0
        # HELP pgha_patroni_cluster_paused 1 if the cluster is in maintenance mode (patronictl pause): no automatic failover.
        # TYPE pgha_patroni_cluster_paused gauge
        pgha_patroni_cluster_paused{scope="h2demo"} 0.0
        # HELP pgha_patroni_cluster_switchover_scheduled 1 if a switchover is scheduled (GET /cluster scheduled_switchover).
        # TYPE pgha_patroni_cluster_switchover_scheduled gauge
        pgha_patroni_cluster_switchover_scheduled{scope="h2demo"} 0.0
        # HELP pgha_patroni_leader 1 for the member that holds the leader key, 0 for the others (GET /cluster).
        # TYPE pgha_patroni_leader gauge
        pgha_patroni_leader{member="pg-1",scope="h2demo"} 1.0
        pgha_patroni_leader{member="pg-2",scope="h2demo"} 0.0
        pgha_patroni_leader{member="pg-3",scope="h2demo"} 0.0
        # HELP pgha_patroni_leader_changes_total Promotions whose new leader differs from the previous entry's: failovers and switchovers. A leader re-promoted after demoting itself is not counted; an entry without a leader is.
        # TYPE pgha_patroni_leader_changes_total counter
        pgha_patroni_leader_changes_total{scope="h2demo"} 0.0
        # HELP pgha_patroni_member_dcs_last_seen_age_seconds Seconds since the member last read the DCS, by its own GET /patroni dcs_last_seen.
        # TYPE pgha_patroni_member_dcs_last_seen_age_seconds gauge
        pgha_patroni_member_dcs_last_seen_age_seconds{member="pg-1",scope="h2demo"} 1.0
        pgha_patroni_member_dcs_last_seen_age_seconds{member="pg-2",scope="h2demo"} 1.0
        pgha_patroni_member_dcs_last_seen_age_seconds{member="pg-3",scope="h2demo"} 1.0
        # HELP pgha_patroni_member_lag_bytes Bytes of WAL the member is behind the leader, as Patroni computes it from the DCS (GET /cluster lag); 0 for the leader, absent when Patroni says unknown.
        # TYPE pgha_patroni_member_lag_bytes gauge
        pgha_patroni_member_lag_bytes{member="pg-1",scope="h2demo"} 0.0
        pgha_patroni_member_lag_bytes{member="pg-2",scope="h2demo"} 0.0
        pgha_patroni_member_lag_bytes{member="pg-3",scope="h2demo"} 0.0
        # HELP pgha_patroni_member_pending_restart 1 if the member needs a restart to apply its configuration (GET /cluster).
        # TYPE pgha_patroni_member_pending_restart gauge
        pgha_patroni_member_pending_restart{member="pg-1",scope="h2demo"} 0.0
        pgha_patroni_member_pending_restart{member="pg-2",scope="h2demo"} 0.0
        pgha_patroni_member_pending_restart{member="pg-3",scope="h2demo"} 0.0
        # HELP pgha_patroni_member_postgres_running 1 if Patroni reports PostgreSQL running on the member (GET /patroni state).
        # TYPE pgha_patroni_member_postgres_running gauge
        pgha_patroni_member_postgres_running{member="pg-1",scope="h2demo"} 1.0
        pgha_patroni_member_postgres_running{member="pg-2",scope="h2demo"} 1.0
        pgha_patroni_member_postgres_running{member="pg-3",scope="h2demo"} 1.0
        # HELP pgha_patroni_member_role The member's role in the cluster, one series per role, 1 for the current one (GET /cluster; quorum_standby counts as sync_standby, unknown roles as other).
        # TYPE pgha_patroni_member_role gauge
        pgha_patroni_member_role{member="pg-1",role="leader",scope="h2demo"} 1.0
        pgha_patroni_member_role{member="pg-1",role="other",scope="h2demo"} 0.0
        pgha_patroni_member_role{member="pg-1",role="replica",scope="h2demo"} 0.0
        pgha_patroni_member_role{member="pg-1",role="standby_leader",scope="h2demo"} 0.0
        pgha_patroni_member_role{member="pg-1",role="sync_standby",scope="h2demo"} 0.0
        pgha_patroni_member_role{member="pg-2",role="leader",scope="h2demo"} 0.0
        pgha_patroni_member_role{member="pg-2",role="other",scope="h2demo"} 0.0
        pgha_patroni_member_role{member="pg-2",role="replica",scope="h2demo"} 1.0
        pgha_patroni_member_role{member="pg-2",role="standby_leader",scope="h2demo"} 0.0
        pgha_patroni_member_role{member="pg-2",role="sync_standby",scope="h2demo"} 0.0
        pgha_patroni_member_role{member="pg-3",role="leader",scope="h2demo"} 0.0
        pgha_patroni_member_role{member="pg-3",role="other",scope="h2demo"} 0.0
        pgha_patroni_member_role{member="pg-3",role="replica",scope="h2demo"} 1.0
        pgha_patroni_member_role{member="pg-3",role="standby_leader",scope="h2demo"} 0.0
        pgha_patroni_member_role{member="pg-3",role="sync_standby",scope="h2demo"} 0.0
        # HELP pgha_patroni_member_state The member's state, one series per state, 1 for the current one (GET /cluster; spaces as underscores, unknown states as other).
        # TYPE pgha_patroni_member_state gauge
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="crashed"} 0.0
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="creating_replica"} 0.0
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="custom_bootstrap_failed"} 0.0
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="in_archive_recovery"} 0.0
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="initdb_failed"} 0.0
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="initializing_new_cluster"} 0.0
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="other"} 0.0
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="restart_failed"} 0.0
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="restarting"} 0.0
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="running"} 1.0
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="running_custom_bootstrap_script"} 0.0
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="start_failed"} 0.0
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="starting"} 0.0
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="starting_after_custom_bootstrap"} 0.0
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="stop_failed"} 0.0
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="stopped"} 0.0
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="stopping"} 0.0
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="streaming"} 0.0
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="unknown"} 0.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="crashed"} 0.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="creating_replica"} 0.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="custom_bootstrap_failed"} 0.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="in_archive_recovery"} 0.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="initdb_failed"} 0.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="initializing_new_cluster"} 0.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="other"} 0.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="restart_failed"} 0.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="restarting"} 0.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="running"} 1.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="running_custom_bootstrap_script"} 0.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="start_failed"} 0.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="starting"} 0.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="starting_after_custom_bootstrap"} 0.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="stop_failed"} 0.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="stopped"} 0.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="stopping"} 0.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="streaming"} 0.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="unknown"} 0.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="crashed"} 0.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="creating_replica"} 0.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="custom_bootstrap_failed"} 0.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="in_archive_recovery"} 0.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="initdb_failed"} 0.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="initializing_new_cluster"} 0.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="other"} 0.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="restart_failed"} 0.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="restarting"} 0.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="running"} 1.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="running_custom_bootstrap_script"} 0.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="start_failed"} 0.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="starting"} 0.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="starting_after_custom_bootstrap"} 0.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="stop_failed"} 0.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="stopped"} 0.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="stopping"} 0.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="streaming"} 0.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="unknown"} 0.0
        # HELP pgha_patroni_member_timeline PostgreSQL timeline the member last reported to the DCS (GET /cluster).
        # TYPE pgha_patroni_member_timeline gauge
        pgha_patroni_member_timeline{member="pg-1",scope="h2demo"} 1.0
        pgha_patroni_member_timeline{member="pg-2",scope="h2demo"} 1.0
        pgha_patroni_member_timeline{member="pg-3",scope="h2demo"} 1.0
        # HELP pgha_patroni_member_up 1 if the member's REST API answered GET /patroni as Patroni of this scope, 0 if it could not be reached in time or answered garbage.
        # TYPE pgha_patroni_member_up gauge
        pgha_patroni_member_up{member="pg-1",scope="h2demo"} 1.0
        pgha_patroni_member_up{member="pg-2",scope="h2demo"} 1.0
        pgha_patroni_member_up{member="pg-3",scope="h2demo"} 1.0
        # HELP pgha_patroni_promotions_total Promotions in the cluster's timeline history (GET /history): each one started a new timeline. Entries Patroni dropped (max_timelines_history) are counted from the first kept timeline.
        # TYPE pgha_patroni_promotions_total counter
        pgha_patroni_promotions_total{scope="h2demo"} 0.0
        # HELP pgha_patroni_up 1 if a member of the scope answered GET /cluster, 0 if none did.
        # TYPE pgha_patroni_up gauge
        pgha_patroni_up{scope="h2demo"} 1.0
        """);
  }

  @Test
  void afterTwoSwitchoversAFailoverAndASelfRepromotion() {
    String text = render("h2demo", Optional.of(cluster(AFTER_FAILOVERS)),
        List.of(answered(AFTER_FAILOVERS, "pg-1"), answered(AFTER_FAILOVERS, "pg-2"), answered(AFTER_FAILOVERS, "pg-3")),
        history(AFTER_FAILOVERS));
    assertThat(samples(text, List.of(PatroniMetrics.PROMOTIONS.name(), PatroniMetrics.LEADER_CHANGES.name(),
        PatroniMetrics.LAST_PROMOTION_TIMESTAMP_SECONDS.name(), PatroniMetrics.LEADER.name(), PatroniMetrics.MEMBER_TIMELINE.name())))
        .isEqualTo("""
            pgha_patroni_last_promotion_timestamp_seconds{scope="h2demo"} 1.795664928058743E9
            pgha_patroni_leader{member="pg-1",scope="h2demo"} 1.0
            pgha_patroni_leader{member="pg-2",scope="h2demo"} 0.0
            pgha_patroni_leader{member="pg-3",scope="h2demo"} 0.0
            pgha_patroni_leader_changes_total{scope="h2demo"} 3.0
            pgha_patroni_member_timeline{member="pg-1",scope="h2demo"} 5.0
            pgha_patroni_member_timeline{member="pg-2",scope="h2demo"} 5.0
            pgha_patroni_member_timeline{member="pg-3",scope="h2demo"} 5.0
            pgha_patroni_promotions_total{scope="h2demo"} 4.0
            """);
    assertThat(text).contains("# TYPE pgha_patroni_last_promotion_timestamp_seconds gauge\n");
  }

  @Test
  void leaderChangesAlongTheRecordedHistory() {
    assertThat(HistorySummary.of(history(V3 + "02-after-switchover/")).leaderChanges()).isEqualTo(1);
    assertThat(HistorySummary.of(history(V3 + "03-after-two-switchovers/")).leaderChanges()).isEqualTo(2);
    assertThat(HistorySummary.of(history(V3 + "04-after-failover-pg3-down/")).leaderChanges()).isEqualTo(3);
    assertThat(HistorySummary.of(history(V3 + "04-after-failover-pg3-down/")).promotions()).isEqualTo(3);
  }

  @Test
  void pausedCluster() {
    String dir = V3 + "06-paused/";
    String text = render("h2demo", Optional.of(cluster(dir)),
        List.of(answered(dir, "pg-1"), answered(dir, "pg-2"), answered(dir, "pg-3")), history(dir));
    assertThat(samples(text, List.of(PatroniMetrics.CLUSTER_PAUSED.name(), PatroniMetrics.CLUSTER_HAS_LEADER.name(), PatroniMetrics.UP.name())))
        .isEqualTo("""
            pgha_patroni_cluster_has_leader{scope="h2demo"} 1.0
            pgha_patroni_cluster_paused{scope="h2demo"} 1.0
            pgha_patroni_up{scope="h2demo"} 1.0
            """);
  }

  @Test
  void synchronousStandbyLaggingReplicaAndPendingRestart() {
    String dir = V3 + "07-sync-lagging-pending-restart/";
    String text = render("h2demo", Optional.of(cluster(dir)),
        List.of(answered(dir, "pg-1"), answered(dir, "pg-2"), answered(dir, "pg-3")), null);
    assertThat(samples(text, List.of(PatroniMetrics.MEMBER_ROLE.name(), PatroniMetrics.MEMBER_LAG_BYTES.name(), PatroniMetrics.MEMBER_PENDING_RESTART.name())))
        .isEqualTo("""
            pgha_patroni_member_lag_bytes{member="pg-1",scope="h2demo"} 0.0
            pgha_patroni_member_lag_bytes{member="pg-2",scope="h2demo"} 9628256.0
            pgha_patroni_member_lag_bytes{member="pg-3",scope="h2demo"} 0.0
            pgha_patroni_member_pending_restart{member="pg-1",scope="h2demo"} 1.0
            pgha_patroni_member_pending_restart{member="pg-2",scope="h2demo"} 1.0
            pgha_patroni_member_pending_restart{member="pg-3",scope="h2demo"} 1.0
            pgha_patroni_member_role{member="pg-1",role="leader",scope="h2demo"} 1.0
            pgha_patroni_member_role{member="pg-1",role="other",scope="h2demo"} 0.0
            pgha_patroni_member_role{member="pg-1",role="replica",scope="h2demo"} 0.0
            pgha_patroni_member_role{member="pg-1",role="standby_leader",scope="h2demo"} 0.0
            pgha_patroni_member_role{member="pg-1",role="sync_standby",scope="h2demo"} 0.0
            pgha_patroni_member_role{member="pg-2",role="leader",scope="h2demo"} 0.0
            pgha_patroni_member_role{member="pg-2",role="other",scope="h2demo"} 0.0
            pgha_patroni_member_role{member="pg-2",role="replica",scope="h2demo"} 1.0
            pgha_patroni_member_role{member="pg-2",role="standby_leader",scope="h2demo"} 0.0
            pgha_patroni_member_role{member="pg-2",role="sync_standby",scope="h2demo"} 0.0
            pgha_patroni_member_role{member="pg-3",role="leader",scope="h2demo"} 0.0
            pgha_patroni_member_role{member="pg-3",role="other",scope="h2demo"} 0.0
            pgha_patroni_member_role{member="pg-3",role="replica",scope="h2demo"} 0.0
            pgha_patroni_member_role{member="pg-3",role="standby_leader",scope="h2demo"} 0.0
            pgha_patroni_member_role{member="pg-3",role="sync_standby",scope="h2demo"} 1.0
            """);
  }

  @Test
  void stoppedReplicaStillListedInTheDcs() {
    String dir = V3 + "08-replica-stopped/";
    String text = render("h2demo", Optional.of(cluster(dir)),
        List.of(answered(dir, "pg-1"), unreachable("pg-2"), answered(dir, "pg-3")), history(dir));
    assertThat(samplesWithoutStates(text).replaceAll("(?m)^pgha_patroni_member_role.*\\n", "")).isEqualTo("""
        pgha_patroni_cluster_failsafe_active{scope="h2demo"} 0.0
        pgha_patroni_cluster_has_leader{scope="h2demo"} 1.0
        pgha_patroni_cluster_leaders{scope="h2demo"} 1.0
        pgha_patroni_cluster_members{scope="h2demo"} 3.0
        pgha_patroni_cluster_paused{scope="h2demo"} 0.0
        pgha_patroni_cluster_switchover_scheduled{scope="h2demo"} 0.0
        pgha_patroni_last_promotion_timestamp_seconds{scope="h2demo"} 1.795664928058743E9
        pgha_patroni_leader{member="pg-1",scope="h2demo"} 1.0
        pgha_patroni_leader{member="pg-2",scope="h2demo"} 0.0
        pgha_patroni_leader{member="pg-3",scope="h2demo"} 0.0
        pgha_patroni_leader_changes_total{scope="h2demo"} 3.0
        pgha_patroni_member_dcs_last_seen_age_seconds{member="pg-1",scope="h2demo"} 1.0
        pgha_patroni_member_dcs_last_seen_age_seconds{member="pg-3",scope="h2demo"} 1.0
        pgha_patroni_member_lag_bytes{member="pg-1",scope="h2demo"} 0.0
        pgha_patroni_member_lag_bytes{member="pg-3",scope="h2demo"} 0.0
        pgha_patroni_member_pending_restart{member="pg-1",scope="h2demo"} 1.0
        pgha_patroni_member_pending_restart{member="pg-2",scope="h2demo"} 1.0
        pgha_patroni_member_pending_restart{member="pg-3",scope="h2demo"} 1.0
        pgha_patroni_member_postgres_running{member="pg-1",scope="h2demo"} 1.0
        pgha_patroni_member_postgres_running{member="pg-3",scope="h2demo"} 1.0
        pgha_patroni_member_timeline{member="pg-1",scope="h2demo"} 5.0
        pgha_patroni_member_timeline{member="pg-3",scope="h2demo"} 5.0
        pgha_patroni_member_up{member="pg-1",scope="h2demo"} 1.0
        pgha_patroni_member_up{member="pg-2",scope="h2demo"} 0.0
        pgha_patroni_member_up{member="pg-3",scope="h2demo"} 1.0
        pgha_patroni_promotions_total{scope="h2demo"} 4.0
        pgha_patroni_up{scope="h2demo"} 1.0
        """);
    assertThat(leaderAndStateLines(text)).isEqualTo("""
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="running"} 1.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="stopped"} 1.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="running"} 1.0
        """);
  }

  @Test
  void midSwitchoverTheOldLeaderIsStoppedAndAReplicaLags() {
    String text = render("h2demo", Optional.of(cluster(V3 + "09-mid-switchover/")), List.of(), null);
    assertThat(samples(text, List.of(PatroniMetrics.LEADER.name(), PatroniMetrics.MEMBER_LAG_BYTES.name(), PatroniMetrics.MEMBER_TIMELINE.name(),
        PatroniMetrics.CLUSTER_LEADERS.name(), PatroniMetrics.CLUSTER_FAILSAFE_ACTIVE.name())))
        .isEqualTo("""
            pgha_patroni_cluster_leaders{scope="h2demo"} 1.0
            pgha_patroni_leader{member="pg-1",scope="h2demo"} 0.0
            pgha_patroni_leader{member="pg-2",scope="h2demo"} 0.0
            pgha_patroni_leader{member="pg-3",scope="h2demo"} 1.0
            pgha_patroni_member_lag_bytes{member="pg-1",scope="h2demo"} 280.0
            pgha_patroni_member_lag_bytes{member="pg-3",scope="h2demo"} 0.0
            pgha_patroni_member_timeline{member="pg-1",scope="h2demo"} 2.0
            pgha_patroni_member_timeline{member="pg-3",scope="h2demo"} 3.0
            """);
    assertThat(leaderAndStateLines(text)).isEqualTo("""
        pgha_patroni_member_state{member="pg-1",scope="h2demo",state="running"} 1.0
        pgha_patroni_member_state{member="pg-2",scope="h2demo",state="stopped"} 1.0
        pgha_patroni_member_state{member="pg-3",scope="h2demo",state="running"} 1.0
        """);
  }

  @Test
  void killedLeaderIsStillTheDcsLeaderWhileItsApiIsDown() {
    String replicas = V3 + "03-after-two-switchovers/";
    String text = render("h2demo", Optional.of(cluster(V3 + "10-leader-killed/")),
        List.of(answered(replicas, "pg-1"), answered(replicas, "pg-2"), unreachable("pg-3")), null);
    assertThat(samples(text, List.of(PatroniMetrics.LEADER.name(), PatroniMetrics.CLUSTER_LEADERS.name(), PatroniMetrics.CLUSTER_HAS_LEADER.name(),
        PatroniMetrics.MEMBER_UP.name(), PatroniMetrics.UP.name())))
        .isEqualTo("""
            pgha_patroni_cluster_has_leader{scope="h2demo"} 1.0
            pgha_patroni_cluster_leaders{scope="h2demo"} 1.0
            pgha_patroni_leader{member="pg-1",scope="h2demo"} 0.0
            pgha_patroni_leader{member="pg-2",scope="h2demo"} 0.0
            pgha_patroni_leader{member="pg-3",scope="h2demo"} 1.0
            pgha_patroni_member_up{member="pg-1",scope="h2demo"} 1.0
            pgha_patroni_member_up{member="pg-2",scope="h2demo"} 1.0
            pgha_patroni_member_up{member="pg-3",scope="h2demo"} 0.0
            pgha_patroni_up{scope="h2demo"} 1.0
            """);
  }

  @Test
  void dcsDownNoClusterViewButMembersStillAnswer() {
    String dir = V3 + "11-dcs-down/";
    String text = render("h2demo", Optional.empty(), List.of(answered(dir, "pg-1"), answered(dir, "pg-2"), unreachable("pg-3")), null);
    assertThat(samplesWithoutStates(text)).isEqualTo("""
        pgha_patroni_cluster_failsafe_active{scope="h2demo"} 0.0
        pgha_patroni_cluster_leaders{scope="h2demo"} 0.0
        pgha_patroni_member_dcs_last_seen_age_seconds{member="pg-1",scope="h2demo"} 1.0
        pgha_patroni_member_dcs_last_seen_age_seconds{member="pg-2",scope="h2demo"} 1.0
        pgha_patroni_member_postgres_running{member="pg-1",scope="h2demo"} 1.0
        pgha_patroni_member_postgres_running{member="pg-2",scope="h2demo"} 1.0
        pgha_patroni_member_up{member="pg-1",scope="h2demo"} 1.0
        pgha_patroni_member_up{member="pg-2",scope="h2demo"} 1.0
        pgha_patroni_member_up{member="pg-3",scope="h2demo"} 0.0
        pgha_patroni_up{scope="h2demo"} 0.0
        """);
  }

  @Test
  void noMemberReachable() {
    String text = render("h2demo", Optional.empty(), List.of(unreachable("pg-1"), unreachable("pg-2")), null);
    assertThat(samplesWithoutStates(text)).isEqualTo("""
        pgha_patroni_member_up{member="pg-1",scope="h2demo"} 0.0
        pgha_patroni_member_up{member="pg-2",scope="h2demo"} 0.0
        pgha_patroni_up{scope="h2demo"} 0.0
        """);
  }

  @Test
  void splitBrainTwoMembersRunAsPrimary() {
    // The DCS names pg-1 leader, and pg-3 still runs as primary (its /patroni from when it led, timeline 3).
    String text = render("h2demo", Optional.of(cluster(AFTER_FAILOVERS)),
        List.of(answered(AFTER_FAILOVERS, "pg-1"), answered(AFTER_FAILOVERS, "pg-2"), answered(V3 + "03-after-two-switchovers/", "pg-3")),
        null);
    assertThat(samples(text, List.of(PatroniMetrics.CLUSTER_LEADERS.name(), PatroniMetrics.CLUSTER_HAS_LEADER.name())))
        .isEqualTo("""
            pgha_patroni_cluster_has_leader{scope="h2demo"} 1.0
            pgha_patroni_cluster_leaders{scope="h2demo"} 2.0
            """);
  }

  @Test
  void patroni4ShapedResponsesFromTheDocumentation() {
    String text = render("demo", Optional.of(cluster(V4)),
        List.of(answered(V4, "patroni1"), answered(V4, "patroni2"), answered(V4, "patroni3")), history(V4));
    assertThat(samplesWithoutStates(text)).isEqualTo("""
        pgha_patroni_cluster_failsafe_active{scope="demo"} 0.0
        pgha_patroni_cluster_has_leader{scope="demo"} 1.0
        pgha_patroni_cluster_leaders{scope="demo"} 1.0
        pgha_patroni_cluster_members{scope="demo"} 3.0
        pgha_patroni_cluster_paused{scope="demo"} 0.0
        pgha_patroni_cluster_switchover_scheduled{scope="demo"} 1.0
        pgha_patroni_last_promotion_timestamp_seconds{scope="demo"} 1.5693105525E9
        pgha_patroni_leader{member="patroni1",scope="demo"} 1.0
        pgha_patroni_leader{member="patroni2",scope="demo"} 0.0
        pgha_patroni_leader{member="patroni3",scope="demo"} 0.0
        pgha_patroni_leader_changes_total{scope="demo"} 3.0
        pgha_patroni_member_dcs_last_seen_age_seconds{member="patroni1",scope="demo"} 1.0
        pgha_patroni_member_dcs_last_seen_age_seconds{member="patroni2",scope="demo"} 1.0
        pgha_patroni_member_dcs_last_seen_age_seconds{member="patroni3",scope="demo"} 1.0
        pgha_patroni_member_lag_bytes{member="patroni1",scope="demo"} 0.0
        pgha_patroni_member_lag_bytes{member="patroni2",scope="demo"} 0.0
        pgha_patroni_member_lag_bytes{member="patroni3",scope="demo"} 1.6777216E7
        pgha_patroni_member_pending_restart{member="patroni1",scope="demo"} 0.0
        pgha_patroni_member_pending_restart{member="patroni2",scope="demo"} 0.0
        pgha_patroni_member_pending_restart{member="patroni3",scope="demo"} 1.0
        pgha_patroni_member_postgres_running{member="patroni1",scope="demo"} 1.0
        pgha_patroni_member_postgres_running{member="patroni2",scope="demo"} 1.0
        pgha_patroni_member_postgres_running{member="patroni3",scope="demo"} 0.0
        pgha_patroni_member_role{member="patroni1",role="leader",scope="demo"} 1.0
        pgha_patroni_member_role{member="patroni1",role="other",scope="demo"} 0.0
        pgha_patroni_member_role{member="patroni1",role="replica",scope="demo"} 0.0
        pgha_patroni_member_role{member="patroni1",role="standby_leader",scope="demo"} 0.0
        pgha_patroni_member_role{member="patroni1",role="sync_standby",scope="demo"} 0.0
        pgha_patroni_member_role{member="patroni2",role="leader",scope="demo"} 0.0
        pgha_patroni_member_role{member="patroni2",role="other",scope="demo"} 0.0
        pgha_patroni_member_role{member="patroni2",role="replica",scope="demo"} 0.0
        pgha_patroni_member_role{member="patroni2",role="standby_leader",scope="demo"} 0.0
        pgha_patroni_member_role{member="patroni2",role="sync_standby",scope="demo"} 1.0
        pgha_patroni_member_role{member="patroni3",role="leader",scope="demo"} 0.0
        pgha_patroni_member_role{member="patroni3",role="other",scope="demo"} 0.0
        pgha_patroni_member_role{member="patroni3",role="replica",scope="demo"} 1.0
        pgha_patroni_member_role{member="patroni3",role="standby_leader",scope="demo"} 0.0
        pgha_patroni_member_role{member="patroni3",role="sync_standby",scope="demo"} 0.0
        pgha_patroni_member_timeline{member="patroni1",scope="demo"} 5.0
        pgha_patroni_member_timeline{member="patroni2",scope="demo"} 5.0
        pgha_patroni_member_timeline{member="patroni3",scope="demo"} 5.0
        pgha_patroni_member_up{member="patroni1",scope="demo"} 1.0
        pgha_patroni_member_up{member="patroni2",scope="demo"} 1.0
        pgha_patroni_member_up{member="patroni3",scope="demo"} 1.0
        pgha_patroni_promotions_total{scope="demo"} 4.0
        pgha_patroni_up{scope="demo"} 1.0
        """);
    assertThat(leaderAndStateLines(text)).isEqualTo("""
        pgha_patroni_member_state{member="patroni1",scope="demo",state="running"} 1.0
        pgha_patroni_member_state{member="patroni2",scope="demo",state="streaming"} 1.0
        pgha_patroni_member_state{member="patroni3",scope="demo",state="in_archive_recovery"} 1.0
        """);
  }

  @Test
  void failsafeModeActiveAsPatroni4ReportsIt() {
    MemberProbe failsafe = new MemberProbe.Answered("patroni1", Recordings.apiUrl("patroni1"),
        PatroniJson.status(Recordings.json(V4 + "patroni-failsafe.json")));
    String text = render("demo", Optional.empty(), List.of(failsafe), null);
    assertThat(samples(text, List.of(PatroniMetrics.CLUSTER_FAILSAFE_ACTIVE.name(), PatroniMetrics.CLUSTER_LEADERS.name(), PatroniMetrics.UP.name())))
        .isEqualTo("""
            pgha_patroni_cluster_failsafe_active{scope="demo"} 1.0
            pgha_patroni_cluster_leaders{scope="demo"} 1.0
            pgha_patroni_up{scope="demo"} 0.0
            """);
  }

  @Test
  void unknownRolesAndStatesBecomeOther() {
    assertThat(PatroniVocabulary.role("master")).isEqualTo("leader");
    assertThat(PatroniVocabulary.role("quorum_standby")).isEqualTo("sync_standby");
    assertThat(PatroniVocabulary.role("witness")).isEqualTo("other");
    assertThat(PatroniVocabulary.state("restart failed (running)")).isEqualTo("restart_failed");
    assertThat(PatroniVocabulary.state("in archive recovery")).isEqualTo("in_archive_recovery");
    assertThat(PatroniVocabulary.state("")).isEqualTo("other");
    assertThat(PatroniVocabulary.state("dancing")).isEqualTo("other");
  }

  @Test
  void aHistoryCutByMaxTimelinesHistoryStillCountsEveryPromotion() {
    List<HistoryEntry> cut = PatroniJson.history(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(List.of(
        List.of(7, 100, "no recovery target specified", "2024-01-01T00:00:00+00:00", "a"),
        List.of(8, 200, "no recovery target specified", "2024-01-02T00:00:00+00:00", "b"))));
    assertThat(HistorySummary.of(cut).promotions()).isEqualTo(8);
  }
}
