package io.pgha.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.common.TextExposition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaderKeyMetricsTest {
  private static final long LEASE_1 = 11;
  private static final long LEASE_2 = 12;

  /** pg-1 leads; a switchover to pg-2 (request, delete, put 250 ms later, history 1 s later). */
  static ScopeState switchedOver() {
    ScopeState s = ScopeState.initial("pgha", Map.of(
        "leader", new ScopeState.DcsKey("pg-1", 100, LEASE_1),
        "members/pg-1", new ScopeState.DcsKey("{\"role\":\"master\",\"xlog_location\":5000}", 90, LEASE_1),
        "members/pg-2", new ScopeState.DcsKey("{\"role\":\"replica\",\"xlog_location\":5000}", 91, LEASE_2),
        "status", new ScopeState.DcsKey("{\"optime\":5000}", 99, 0)), 100);
    s = s.apply(List.of(new ScopeState.KeyChange("failover", "{\"leader\":\"pg-1\",\"member\":\"pg-2\"}", 101, 0, false)),
        1_794_999_999_000L);
    s = s.apply(List.of(new ScopeState.KeyChange("status", "{\"optime\":5100}", 102, 0, false)), 1_794_999_999_900L);
    s = s.apply(List.of(new ScopeState.KeyChange("leader", null, 103, 0, false)), 1_795_000_000_000L);
    s = s.apply(List.of(new ScopeState.KeyChange("leader", "pg-2", 104, LEASE_2, false)), 1_795_000_000_250L);
    return s.apply(List.of(new ScopeState.KeyChange("history", "[[1,5200,\"no recovery target specified\","
        + "\"2026-11-16T04:26:40.250000+00:00\",\"pg-2\"]]", 105, 0, false)), 1_795_000_001_250L);
  }

  @Test
  void afterASwitchoverTheNewHolderIsOneTheOldOneStaysAtZeroAndTheChangeIsDescribed() {
    DcsView view = new DcsView(Map.of("pgha", switchedOver()), true, 1, 1_795_000_001_000L, 1_795_000_001_000L);

    assertThat(TextExposition.render(LeaderKeyMetrics.snapshots("pgha", view, Optional.of(new LeaderKeyMetrics.LeaseTtl(28, 30)))))
        .isEqualTo("""
        # HELP pgha_dcs_last_failover_wal_at_risk_bytes At the last leader change, the old leader's last reported WAL position beyond the new timeline's switch point, in bytes: 0 for a clean switchover, an upper bound of what asynchronous replication lost.
        # TYPE pgha_dcs_last_failover_wal_at_risk_bytes gauge
        pgha_dcs_last_failover_wal_at_risk_bytes{scope="pgha"} 0.0
        # HELP pgha_dcs_last_leader_change_info The last leader change the watch saw: old leader, new leader, kind. Always 1; one series per scope, replaced at each change.
        # TYPE pgha_dcs_last_leader_change_info gauge
        pgha_dcs_last_leader_change_info{from="pg-1",kind="switchover",scope="pgha",to="pg-2"} 1.0
        # HELP pgha_dcs_last_leader_change_timestamp_seconds When the exporter saw the last new leader take the key, in Unix seconds.
        # TYPE pgha_dcs_last_leader_change_timestamp_seconds gauge
        pgha_dcs_last_leader_change_timestamp_seconds{scope="pgha"} 1.79500000025E9
        # HELP pgha_dcs_last_leader_vacancy_seconds How long the leader key stayed empty before it was last taken, in seconds.
        # TYPE pgha_dcs_last_leader_vacancy_seconds gauge
        pgha_dcs_last_leader_vacancy_seconds{scope="pgha"} 0.25
        # HELP pgha_dcs_leader 1 for the member holding the scope's leader key, 0 for members seen holding it before.
        # TYPE pgha_dcs_leader gauge
        pgha_dcs_leader{member="pg-1",scope="pgha"} 0.0
        pgha_dcs_leader{member="pg-2",scope="pgha"} 1.0
        # HELP pgha_dcs_leader_changes_total Times the leader key was taken by a member other than its previous holder, by kind (switchover, failover, released, expired, unknown), counted as the watch saw it.
        # TYPE pgha_dcs_leader_changes_total counter
        pgha_dcs_leader_changes_total{kind="expired",scope="pgha"} 0.0
        pgha_dcs_leader_changes_total{kind="failover",scope="pgha"} 0.0
        pgha_dcs_leader_changes_total{kind="released",scope="pgha"} 0.0
        pgha_dcs_leader_changes_total{kind="switchover",scope="pgha"} 1.0
        pgha_dcs_leader_changes_total{kind="unknown",scope="pgha"} 0.0
        # HELP pgha_dcs_leader_key_present 1 while the scope's leader key exists.
        # TYPE pgha_dcs_leader_key_present gauge
        pgha_dcs_leader_key_present{scope="pgha"} 1.0
        # HELP pgha_dcs_leader_lease_granted_ttl_seconds The TTL the leader key's lease was granted with (Patroni's ttl), in seconds.
        # TYPE pgha_dcs_leader_lease_granted_ttl_seconds gauge
        pgha_dcs_leader_lease_granted_ttl_seconds{scope="pgha"} 30.0
        # HELP pgha_dcs_leader_lease_ttl_seconds Seconds left on the leader key's lease: the holder must renew it before it reaches 0.
        # TYPE pgha_dcs_leader_lease_ttl_seconds gauge
        pgha_dcs_leader_lease_ttl_seconds{scope="pgha"} 28.0
        # HELP pgha_dcs_leader_vacancies_total Times the leader key was deleted or expired, whoever took it next.
        # TYPE pgha_dcs_leader_vacancies_total counter
        pgha_dcs_leader_vacancies_total{scope="pgha"} 1.0
        # HELP pgha_dcs_leader_vacancy_seconds Time without a leader at each leader change, by kind (switchover, failover, released, expired): from the old leader losing the key (its delete, or for an expired lease its last renewal) to the new leader holding it.
        # TYPE pgha_dcs_leader_vacancy_seconds histogram
        pgha_dcs_leader_vacancy_seconds_bucket{kind="expired",scope="pgha",le="0.25"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="expired",scope="pgha",le="0.5"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="expired",scope="pgha",le="1.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="expired",scope="pgha",le="2.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="expired",scope="pgha",le="5.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="expired",scope="pgha",le="10.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="expired",scope="pgha",le="15.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="expired",scope="pgha",le="30.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="expired",scope="pgha",le="60.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="expired",scope="pgha",le="+Inf"} 0
        pgha_dcs_leader_vacancy_seconds_count{kind="expired",scope="pgha"} 0
        pgha_dcs_leader_vacancy_seconds_sum{kind="expired",scope="pgha"} 0.0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="failover",scope="pgha",le="0.25"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="failover",scope="pgha",le="0.5"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="failover",scope="pgha",le="1.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="failover",scope="pgha",le="2.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="failover",scope="pgha",le="5.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="failover",scope="pgha",le="10.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="failover",scope="pgha",le="15.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="failover",scope="pgha",le="30.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="failover",scope="pgha",le="60.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="failover",scope="pgha",le="+Inf"} 0
        pgha_dcs_leader_vacancy_seconds_count{kind="failover",scope="pgha"} 0
        pgha_dcs_leader_vacancy_seconds_sum{kind="failover",scope="pgha"} 0.0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="released",scope="pgha",le="0.25"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="released",scope="pgha",le="0.5"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="released",scope="pgha",le="1.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="released",scope="pgha",le="2.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="released",scope="pgha",le="5.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="released",scope="pgha",le="10.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="released",scope="pgha",le="15.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="released",scope="pgha",le="30.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="released",scope="pgha",le="60.0"} 0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="released",scope="pgha",le="+Inf"} 0
        pgha_dcs_leader_vacancy_seconds_count{kind="released",scope="pgha"} 0
        pgha_dcs_leader_vacancy_seconds_sum{kind="released",scope="pgha"} 0.0
        pgha_dcs_leader_vacancy_seconds_bucket{kind="switchover",scope="pgha",le="0.25"} 1
        pgha_dcs_leader_vacancy_seconds_bucket{kind="switchover",scope="pgha",le="0.5"} 1
        pgha_dcs_leader_vacancy_seconds_bucket{kind="switchover",scope="pgha",le="1.0"} 1
        pgha_dcs_leader_vacancy_seconds_bucket{kind="switchover",scope="pgha",le="2.0"} 1
        pgha_dcs_leader_vacancy_seconds_bucket{kind="switchover",scope="pgha",le="5.0"} 1
        pgha_dcs_leader_vacancy_seconds_bucket{kind="switchover",scope="pgha",le="10.0"} 1
        pgha_dcs_leader_vacancy_seconds_bucket{kind="switchover",scope="pgha",le="15.0"} 1
        pgha_dcs_leader_vacancy_seconds_bucket{kind="switchover",scope="pgha",le="30.0"} 1
        pgha_dcs_leader_vacancy_seconds_bucket{kind="switchover",scope="pgha",le="60.0"} 1
        pgha_dcs_leader_vacancy_seconds_bucket{kind="switchover",scope="pgha",le="+Inf"} 1
        pgha_dcs_leader_vacancy_seconds_count{kind="switchover",scope="pgha"} 1
        pgha_dcs_leader_vacancy_seconds_sum{kind="switchover",scope="pgha"} 0.25
        # HELP pgha_dcs_watch_events_total Changes of the leader key applied, by type (put or delete).
        # TYPE pgha_dcs_watch_events_total counter
        pgha_dcs_watch_events_total{scope="pgha",type="delete"} 1.0
        pgha_dcs_watch_events_total{scope="pgha",type="put"} 1.0
        # HELP pgha_dcs_watch_healthy 1 while the watch on the namespace (the scope's keys) is established and answering.
        # TYPE pgha_dcs_watch_healthy gauge
        pgha_dcs_watch_healthy{scope="pgha"} 1.0
        # HELP pgha_dcs_watch_last_resync_timestamp_seconds When a resync read last compared the keys in etcd with the watch, in Unix seconds.
        # TYPE pgha_dcs_watch_last_resync_timestamp_seconds gauge
        pgha_dcs_watch_last_resync_timestamp_seconds{scope="pgha"} 1.795000001E9
        # HELP pgha_dcs_watch_missed_events_total Changes of the leader key that a resync found before the watch delivered them.
        # TYPE pgha_dcs_watch_missed_events_total counter
        pgha_dcs_watch_missed_events_total{scope="pgha"} 0.0
        # HELP pgha_dcs_watch_reconnects_total Times the watch on the namespace was re-created (after an error, a silent stop or a resync finding).
        # TYPE pgha_dcs_watch_reconnects_total counter
        pgha_dcs_watch_reconnects_total{scope="pgha"} 1.0
        """);
  }

  @Test
  void beforeTheKeysWereEverReadOnlyTheWatchHealthIsKnown() {
    DcsView view = new DcsView(Map.of(), false, 3, -1, -1);

    assertThat(TextExposition.render(LeaderKeyMetrics.snapshots("pgha", view, Optional.empty()))).isEqualTo("""
        # HELP pgha_dcs_watch_healthy 1 while the watch on the namespace (the scope's keys) is established and answering.
        # TYPE pgha_dcs_watch_healthy gauge
        pgha_dcs_watch_healthy{scope="pgha"} 0.0
        # HELP pgha_dcs_watch_reconnects_total Times the watch on the namespace was re-created (after an error, a silent stop or a resync finding).
        # TYPE pgha_dcs_watch_reconnects_total counter
        pgha_dcs_watch_reconnects_total{scope="pgha"} 3.0
        """);
  }

  @Test
  void aVacantKeyHasNoHolderNoLeaseAndNoChangeYet() {
    ScopeState s = ScopeState.initial("pgha", Map.of("leader", new ScopeState.DcsKey("pg-1", 100, LEASE_1)), 100)
        .apply(List.of(new ScopeState.KeyChange("leader", null, 101, 0, false)), 5_000);
    String text = TextExposition.render(LeaderKeyMetrics.snapshots("pgha",
        new DcsView(Map.of("pgha", s), true, 0, -1, 5_000), Optional.empty()));

    assertThat(text).contains("pgha_dcs_leader{member=\"pg-1\",scope=\"pgha\"} 0.0\n")
        .contains("pgha_dcs_leader_key_present{scope=\"pgha\"} 0.0\n")
        .contains("pgha_dcs_leader_vacancies_total{scope=\"pgha\"} 1.0\n")
        .contains("pgha_dcs_leader_changes_total{kind=\"released\",scope=\"pgha\"} 0.0\n")
        .doesNotContain("lease_ttl")
        .doesNotContain("last_leader_change")
        .doesNotContain("last_leader_vacancy")
        .doesNotContain("wal_at_risk");
  }
}
