package io.pgha.dashboards;

import io.pgha.common.MetricFamily;
import io.pgha.etcd.EtcdMetrics;
import io.pgha.patroni.PatroniMetrics;
import io.pgha.postgres.PostgresMetrics;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Metric names the dashboards may use, by where the name comes from. */
final class MetricCatalog {

  private MetricCatalog() {}

  /** Every family the three exporters declare (the only pgha_ names there are). */
  static Set<String> declared() {
    return Stream.of(PatroniMetrics.ALL, PostgresMetrics.ALL, EtcdMetrics.ALL).flatMap(List::stream)
        .map(MetricFamily::name).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Series recorded by the recording rules of alerts/rules (their names start with pgha:). */
  static final Set<String> RECORDED = Set.of(
      "pgha:haproxy_write_routed_to_leader", "pgha:haproxy_read_routed_to_replicas");

  /** Prometheus's own, HAProxy 2.6's built-in exporter, etcd 3.4's and Patroni 3.0.2's /metrics. */
  static final Set<String> THIRD_PARTY = Set.of(
      "up", "scrape_duration_seconds", "scrape_samples_scraped",
      "haproxy_backend_active_servers", "haproxy_server_status",
      "etcd_server_has_leader", "etcd_disk_wal_fsync_duration_seconds_bucket",
      "etcd_disk_backend_commit_duration_seconds_bucket", "etcd_network_peer_round_trip_time_seconds_bucket",
      "etcd_mvcc_db_total_size_in_bytes", "etcd_server_quota_backend_bytes", "etcd_server_leader_changes_seen_total",
      "patroni_primary", "patroni_dcs_last_seen");
}
