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
        "etcd_disk_backend_commit_duration_seconds_bucket",
        "etcd_disk_wal_fsync_duration_seconds_bucket",
        "etcd_mvcc_db_total_size_in_bytes",
        "etcd_server_leader_changes_seen_total",
        "etcd_server_quota_backend_bytes",
        "haproxy_backend_active_servers",
        "haproxy_backend_backup_servers",
        "haproxy_server_status",
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
        "pgha_patroni_config_maximum_lag_on_failover_bytes",
        "pgha_patroni_config_synchronous_mode",
        "pgha_patroni_config_ttl_seconds",
        "pgha_patroni_failover_candidates",
        "pgha_patroni_leader",
        "pgha_patroni_leader_changes_total",
        "pgha_patroni_member_dcs_last_seen_age_seconds",
        "pgha_patroni_member_failover_blocker",
        "pgha_patroni_member_pending_restart",
        "pgha_patroni_member_role",
        "pgha_patroni_member_state",
        "pgha_patroni_member_timeline",
        "pgha_patroni_member_up",
        "pgha_postgres_collector_success",
        "pgha_postgres_in_recovery",
        "pgha_postgres_replication_lag_bytes",
        "pgha_postgres_replication_lag_seconds",
        "pgha_postgres_replication_slot_active",
        "pgha_postgres_replication_state",
        "pgha_postgres_up",
        "pgha_postgres_wal_receiver_streaming",
        "up");
  }
}
