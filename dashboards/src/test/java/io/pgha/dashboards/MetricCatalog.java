package io.pgha.dashboards;

import java.util.Set;

/** Metric names the dashboards may use, by where the name comes from. */
final class MetricCatalog {

  private MetricCatalog() {}

  /** Named in the exporter issues (3: patroni and the core, 4: postgres, 5: etcd, 15: failover readiness). */
  static final Set<String> CONTRACT = Set.of(
      "pgha_exporter_build_info",
      "pgha_patroni_collector_success", "pgha_patroni_collector_duration_seconds",
      "pgha_patroni_scrape_duration_seconds",
      "pgha_postgres_collector_success", "pgha_postgres_collector_duration_seconds",
      "pgha_postgres_scrape_duration_seconds",
      "pgha_etcd_collector_success", "pgha_etcd_collector_duration_seconds", "pgha_etcd_scrape_duration_seconds",
      "pgha_patroni_up", "pgha_patroni_member_up", "pgha_patroni_member_role", "pgha_patroni_member_state",
      "pgha_patroni_member_timeline", "pgha_patroni_member_lag_bytes", "pgha_patroni_member_pending_restart",
      "pgha_patroni_member_postgres_running", "pgha_patroni_cluster_has_leader", "pgha_patroni_cluster_leaders",
      "pgha_patroni_cluster_members", "pgha_patroni_cluster_paused", "pgha_patroni_cluster_failsafe_active",
      "pgha_patroni_leader", "pgha_patroni_promotions_total", "pgha_patroni_leader_changes_total",
      "pgha_patroni_last_promotion_timestamp_seconds",
      "pgha_postgres_up", "pgha_postgres_in_recovery", "pgha_postgres_timeline",
      "pgha_postgres_replication_lag_bytes", "pgha_postgres_replication_lag_seconds",
      "pgha_postgres_replication_state", "pgha_postgres_replication_sync_state", "pgha_postgres_standbys_streaming",
      "pgha_etcd_up", "pgha_etcd_member_up", "pgha_etcd_member_healthy", "pgha_etcd_member_is_leader",
      "pgha_etcd_member_raft_term", "pgha_etcd_member_db_size_bytes", "pgha_etcd_alarm",
      "pgha_etcd_cluster_members", "pgha_etcd_cluster_members_healthy", "pgha_etcd_quorum_size",
      "pgha_etcd_quorum_available", "pgha_etcd_failures_tolerable", "pgha_etcd_cluster_leaders_seen",
      "pgha_dcs_leader", "pgha_dcs_leader_key_present", "pgha_dcs_leader_changes_total",
      "pgha_dcs_leader_vacancies_total", "pgha_dcs_last_leader_change_timestamp_seconds",
      "pgha_dcs_last_leader_vacancy_seconds", "pgha_dcs_members", "pgha_dcs_watch_healthy",
      "pgha_patroni_failover_candidates", "pgha_patroni_member_failover_eligible",
      "pgha_patroni_member_failover_blocker", "pgha_patroni_config_synchronous_mode",
      "pgha_patroni_config_maximum_lag_on_failover_bytes", "pgha_patroni_config_ttl_seconds",
      "pgha_patroni_config_loop_wait_seconds", "pgha_patroni_member_dcs_last_seen_age_seconds");

  /** Series recorded by the recording rules of alerts/rules (their names start with pgha:). */
  static final Set<String> RECORDED = Set.of(
      "pgha:haproxy_write_routed_to_leader", "pgha:haproxy_read_routed_to_replicas");

  /**
   * Issue 4 asks for these series but does not name them: the names below are this module's
   * proposal, to be confirmed against exporter-postgres (docs/metrics.md) when it lands.
   */
  static final Set<String> ASSUMED = Set.of(
      "pgha_postgres_instance_cpu_seconds_total",
      "pgha_postgres_instance_resident_memory_bytes",
      "pgha_postgres_connections",
      "pgha_postgres_wal_bytes_total",
      "pgha_postgres_replication_slot_active",
      "pgha_postgres_replication_slot_retained_wal_bytes");

  /** Prometheus's own, HAProxy 2.6's built-in exporter, etcd 3.4's and Patroni 3.0.2's /metrics. */
  static final Set<String> THIRD_PARTY = Set.of(
      "up", "scrape_duration_seconds", "scrape_samples_scraped",
      "haproxy_backend_active_servers", "haproxy_server_status",
      "etcd_server_has_leader", "etcd_disk_wal_fsync_duration_seconds_bucket",
      "etcd_disk_backend_commit_duration_seconds_bucket", "etcd_network_peer_round_trip_time_seconds_bucket",
      "etcd_mvcc_db_total_size_in_bytes", "etcd_server_quota_backend_bytes", "etcd_server_leader_changes_seen_total",
      "patroni_primary", "patroni_dcs_last_seen");
}
