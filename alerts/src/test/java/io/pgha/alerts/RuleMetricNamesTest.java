package io.pgha.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleMetricNamesTest {

  @Test
  void recordedSeriesAreNotReportedAsMetricsToLookFor() {
    Rule record = new Rule("r.yml", "g", null, "pgha:primary", "max by (scope) (pg_up == 1)", null,
        Map.of(), Map.of());
    Rule alert = new Rule("a.yml", "g", "A", null, "pgha:primary > 1 or other", "1m",
        Map.of("severity", "warning"),
        Map.of("description", "{{ with printf \"annotated{a=%q}\" $labels.a | query }}{{ end }}"));
    assertThat(RuleMetricNames.of(List.of(record, alert)))
        .containsExactly("annotated", "other", "pg_up");
  }

  /** The contract names the shipped rules watch: review any change against the exporters' docs. */
  @Test
  void metricNamesOfTheShippedRules() {
    assertThat(RuleMetricNames.fromRuleFiles(Path.of("rules"))).containsExactly(
        "haproxy_backend_active_servers",
        "haproxy_backend_backup_servers",
        "pgha_dcs_leader",
        "pgha_dcs_leader_changes_total",
        "pgha_dcs_leader_key_present",
        "pgha_dcs_watch_healthy",
        "pgha_etcd_alarm",
        "pgha_etcd_cluster_leaders_seen",
        "pgha_etcd_cluster_members",
        "pgha_etcd_cluster_members_healthy",
        "pgha_etcd_collector_success",
        "pgha_etcd_failures_tolerable",
        "pgha_etcd_member_healthy",
        "pgha_etcd_member_up",
        "pgha_etcd_quorum_available",
        "pgha_etcd_quorum_size",
        "pgha_etcd_up",
        "pgha_patroni_cluster_failsafe_active",
        "pgha_patroni_cluster_has_leader",
        "pgha_patroni_cluster_leaders",
        "pgha_patroni_cluster_members",
        "pgha_patroni_cluster_paused",
        "pgha_patroni_collector_success",
        "pgha_patroni_leader",
        "pgha_patroni_leader_changes_total",
        "pgha_patroni_member_pending_restart",
        "pgha_patroni_member_up",
        "pgha_postgres_archiver_failing",
        "pgha_postgres_archiver_last_archived_timestamp_seconds",
        "pgha_postgres_archiver_pending_wal_files",
        "pgha_postgres_collector_success",
        "pgha_postgres_connections",
        "pgha_postgres_connections_max",
        "pgha_postgres_connections_reserved",
        "pgha_postgres_database_checksum_failures_total",
        "pgha_postgres_database_deadlocks_total",
        "pgha_postgres_filesystem_available_bytes",
        "pgha_postgres_in_recovery",
        "pgha_postgres_oldest_prepared_transaction_seconds",
        "pgha_postgres_oldest_transaction_seconds",
        "pgha_postgres_replica_replay_paused",
        "pgha_postgres_replication_lag_bytes",
        "pgha_postgres_replication_lag_seconds",
        "pgha_postgres_replication_slot_active",
        "pgha_postgres_replication_slot_retained_wal_bytes",
        "pgha_postgres_replication_slot_safe_wal_bytes",
        "pgha_postgres_replication_slot_wal_status",
        "pgha_postgres_replication_state",
        "pgha_postgres_up",
        "pgha_postgres_wal_directory_bytes",
        "pgha_postgres_xid_wraparound_ratio",
        "up");
  }
}
