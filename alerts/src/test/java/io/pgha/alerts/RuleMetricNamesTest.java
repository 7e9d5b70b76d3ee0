package io.pgha.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.common.MetricFamily;
import io.pgha.etcd.EtcdMetrics;
import io.pgha.patroni.PatroniMetrics;
import io.pgha.postgres.PostgresMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
        "etcd_disk_backend_commit_duration_seconds_bucket", "etcd_disk_wal_fsync_duration_seconds_bucket",
        "etcd_mvcc_db_total_size_in_bytes", "etcd_server_leader_changes_seen_total", "etcd_server_quota_backend_bytes",
        "haproxy_backend_active_servers", "haproxy_backend_backup_servers", "haproxy_server_status",
        EtcdMetrics.DCS_LAST_LEADER_CHANGE_INFO.name(), EtcdMetrics.DCS_LAST_LEADER_CHANGE_TIMESTAMP_SECONDS.name(),
        EtcdMetrics.DCS_LEADER.name(),
        EtcdMetrics.DCS_LEADER_KEY_PRESENT.name(), EtcdMetrics.DCS_WATCH_HEALTHY.name(),
        EtcdMetrics.ETCD_ALARM.name(), EtcdMetrics.ETCD_CLUSTER_LEADERS_SEEN.name(), EtcdMetrics.ETCD_CLUSTER_MEMBERS.name(),
        EtcdMetrics.ETCD_CLUSTER_MEMBERS_HEALTHY.name(), EtcdMetrics.CORE.collectorSuccess().name(),
        EtcdMetrics.ETCD_FAILURES_TOLERABLE.name(), EtcdMetrics.ETCD_MEMBER_HEALTHY.name(),
        EtcdMetrics.ETCD_MEMBER_UP.name(), EtcdMetrics.ETCD_QUORUM_AVAILABLE.name(), EtcdMetrics.ETCD_QUORUM_SIZE.name(),
        EtcdMetrics.ETCD_UP.name(),
        PatroniMetrics.CLUSTER_FAILSAFE_ACTIVE.name(), PatroniMetrics.CLUSTER_HAS_LEADER.name(),
        PatroniMetrics.CLUSTER_LEADERS.name(), PatroniMetrics.CLUSTER_MEMBERS.name(), PatroniMetrics.CLUSTER_PAUSED.name(),
        PatroniMetrics.CORE.collectorSuccess().name(), PatroniMetrics.CONFIG_MAXIMUM_LAG_ON_FAILOVER_BYTES.name(),
        PatroniMetrics.CONFIG_SYNCHRONOUS_MODE.name(), PatroniMetrics.CONFIG_TTL_SECONDS.name(),
        PatroniMetrics.FAILOVER_CANDIDATES.name(), PatroniMetrics.LEADER.name(), PatroniMetrics.LEADER_CHANGES.name(),
        PatroniMetrics.MEMBER_DCS_LAST_SEEN_AGE_SECONDS.name(), PatroniMetrics.MEMBER_FAILOVER_BLOCKER.name(),
        PatroniMetrics.MEMBER_PENDING_RESTART.name(), PatroniMetrics.MEMBER_ROLE.name(), PatroniMetrics.MEMBER_STATE.name(),
        PatroniMetrics.MEMBER_TIMELINE.name(), PatroniMetrics.MEMBER_UP.name(),
        PostgresMetrics.ARCHIVER_FAILING.name(), PostgresMetrics.ARCHIVER_LAST_ARCHIVED_TIMESTAMP.name(),
        PostgresMetrics.ARCHIVER_PENDING_WAL_FILES.name(), PostgresMetrics.CORE.collectorSuccess().name(),
        PostgresMetrics.CONNECTIONS.name(), PostgresMetrics.CONNECTIONS_MAX.name(),
        PostgresMetrics.CONNECTIONS_RESERVED.name(), PostgresMetrics.DATABASE_CHECKSUM_FAILURES.name(),
        PostgresMetrics.DATABASE_DEADLOCKS.name(), PostgresMetrics.FILESYSTEM_AVAILABLE_BYTES.name(),
        PostgresMetrics.IN_RECOVERY.name(), PostgresMetrics.OLDEST_PREPARED_TRANSACTION_SECONDS.name(),
        PostgresMetrics.OLDEST_TRANSACTION_SECONDS.name(), PostgresMetrics.REPLICA_REPLAY_PAUSED.name(),
        PostgresMetrics.REPLICATION_LAG_BYTES.name(), PostgresMetrics.REPLICATION_LAG_SECONDS.name(),
        PostgresMetrics.REPLICATION_SLOT_ACTIVE.name(), PostgresMetrics.REPLICATION_SLOT_RETAINED_WAL_BYTES.name(),
        PostgresMetrics.REPLICATION_SLOT_SAFE_WAL_BYTES.name(), PostgresMetrics.REPLICATION_SLOT_WAL_STATUS.name(),
        PostgresMetrics.REPLICATION_STATE.name(), PostgresMetrics.UP.name(),
        PostgresMetrics.WAL_DIRECTORY_BYTES.name(), PostgresMetrics.WAL_RECEIVER_STREAMING.name(),
        PostgresMetrics.XID_WRAPAROUND_RATIO.name(),
        "up");
  }

  /** promkit reads what the rules select; a pgha_ name no exporter declares is a typo or a dropped metric. */
  @Test
  void everyPghaMetricTheRulesReadIsDeclared() {
    Set<String> declared = Stream.of(PatroniMetrics.ALL, PostgresMetrics.ALL, EtcdMetrics.ALL).flatMap(List::stream)
        .map(MetricFamily::name).collect(Collectors.toSet());
    List<String> read = RuleMetricNames.fromRuleFiles(Path.of("rules")).stream()
        .filter(n -> n.startsWith("pgha_")).toList();
    assertThat(read).isNotEmpty();
    assertThat(declared).as("pgha_ metrics the rules read that no exporter declares").containsAll(read);
  }
}
