package io.pgha.dashboards;

import static io.pgha.dashboards.Common.BLUE;
import static io.pgha.dashboards.Common.GREEN;
import static io.pgha.dashboards.Common.ORANGE;
import static io.pgha.dashboards.Common.RED;
import static io.pgha.dashboards.Common.base;
import static io.pgha.dashboards.Common.from;

import io.pgha.postgres.PostgresMetrics;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL instances: the failures that take them down first (connections, old transactions,
 * wraparound, archiving, pg_wal's disk), then CPU, memory, connections, WAL, slots and lag.
 */
final class PostgresInstancesDashboard {

  static final String UID = "pgha-postgres-instances";

  private static final String SM = "scope=\"$scope\", member=~\"$member\"";

  private PostgresInstancesDashboard() {}

  static Dashboard build() {
    Dashboard d = Dashboard.create(UID, "pgha / PostgreSQL instances", "pgha-postgres-instances.json")
        .description("The PostgreSQL instances of one Patroni cluster, from exporter-postgres: what takes them "
            + "down (connections, old transactions, wraparound, WAL archiving, pg_wal's disk), CPU and memory of "
            + "each instance, connections, WAL rate, replication slots and lag per standby.")
        .tag("postgres")
        .variable(Variable.datasource())
        .variable(Common.scope())
        .variable(Variable.labelValues("member", "Member", "label_values(" + PostgresMetrics.UP.name() + "{scope=\"$scope\"}, member)")
            .multiWithAll(".+")
            .description("PostgreSQL member(s) of the scope"));

    d.row("Instances");
    d.add(Panel.stat("Reachable")
        .description("Whether exporter-postgres could connect to and query each instance.")
        .unit("none").colorBackground()
        .mapping("1", "up", GREEN).mapping("0", "DOWN", RED)
        .query(Query.instant(PostgresMetrics.UP.name() + "{" + SM + "}", "{{member}}")), 8, 4);
    d.add(Panel.stat("Role (PostgreSQL's view)")
        .description("pg_is_in_recovery() of each instance: the primary is the one not in recovery.")
        .unit("none").colorBackground()
        .mapping("0", "primary", BLUE).mapping("1", "replica", GREEN)
        .query(Query.instant(PostgresMetrics.IN_RECOVERY.name() + "{" + SM + "}", "{{member}}")), 8, 4);
    d.add(Panel.stat("Timeline")
        .description("The WAL timeline each instance is on; it increases with every promotion, and a "
            + "replica on an older timeline than the primary has not followed it yet.")
        .unit("none").decimals(0)
        .query(Query.instant(PostgresMetrics.TIMELINE.name() + "{" + SM + "}", "{{member}}")), 8, 4);

    d.row("Health: what takes PostgreSQL down");
    d.add(Panel.timeseries("Connections used of usable")
        .description("Client connections of each instance over max_connections less the reserved slots "
            + "(superuser_reserved_connections, reserved_connections): what ordinary roles can still get. Past 100% "
            + "they are refused; PghaPostgresConnectionsNearLimit fires above 90%.")
        .unit("percentunit").min(0).thresholds(base(GREEN), from(0.8, ORANGE), from(0.9, RED))
        .query(Query.range("sum by (member) (" + PostgresMetrics.CONNECTIONS.name() + "{" + SM + "}) / on (member) "
            + "(max by (member) (" + PostgresMetrics.CONNECTIONS_MAX.name() + "{" + SM + "}) - max by (member) "
            + "(" + PostgresMetrics.CONNECTIONS_RESERVED.name() + "{" + SM + "}))", "{{member}}")), 8, 8);
    d.add(Panel.timeseries("Oldest transaction by session state")
        .description("Age of the oldest open transaction of a client session, by its state (pg_stat_activity). "
            + "Long ones, idle in transaction above all, hold back vacuum on every member.")
        .unit("s").min(0)
        .query(Query.range("max by (member, state) (" + PostgresMetrics.OLDEST_TRANSACTION_SECONDS.name() + "{" + SM + "})",
            "{{member}} {{state}}")), 8, 8);
    d.add(Panel.timeseries("Transaction ID wraparound")
        .description("The oldest unfrozen transaction ID or multixact age of any database over 2^31: autovacuum "
            + "keeps it near 0.1 (autovacuum_freeze_max_age); near 1 PostgreSQL refuses writes.")
        .unit("percentunit").min(0).thresholds(base(GREEN), from(0.5, ORANGE), from(0.8, RED))
        .query(Query.range("max by (member) (" + PostgresMetrics.XID_WRAPAROUND_RATIO.name() + "{" + SM + "})", "{{member}}")), 8, 8);
    d.add(Panel.stat("WAL archiving")
        .description("Whether the archiver of each instance is stuck on a WAL file whose archive_command fails "
            + "(pg_stat_archiver: last failure after the last success).")
        .unit("none").colorBackground()
        .mapping("0", "ok", GREEN).mapping("1", "FAILING", RED)
        .query(Query.instant("max by (member) (" + PostgresMetrics.ARCHIVER_FAILING.name() + "{" + SM + "})", "{{member}}")), 6, 6);
    d.add(Panel.stat("Since the last archived WAL file")
        .description("Time since archive_command last succeeded on each instance that archived anything (the "
            + "primary). It grows on an idle primary too; with WAL files waiting it means archiving is stuck.")
        .unit("s").decimals(0)
        .query(Query.instant("time() - max by (member) (" + PostgresMetrics.ARCHIVER_LAST_ARCHIVED_TIMESTAMP.name() + "{"
            + SM + "})", "{{member}}")), 6, 6);
    d.add(Panel.timeseries("WAL archived, failed and waiting")
        .description("WAL files archive_command archived and failed per second, and the files waiting for it "
            + "(.ready in pg_wal/archive_status). Waiting files stay in pg_wal until archived.")
        .unit("short").min(0)
        .query(Query.range("sum by (member) (rate(" + PostgresMetrics.ARCHIVER_ARCHIVED.name() + "{" + SM
            + "}[$__rate_interval]))", "{{member}} archived/s"))
        .query(Query.range("sum by (member) (rate(" + PostgresMetrics.ARCHIVER_FAILED.name() + "{" + SM
            + "}[$__rate_interval]))", "{{member}} failed/s"))
        .query(Query.range("max by (member) (" + PostgresMetrics.ARCHIVER_PENDING_WAL_FILES.name() + "{" + SM + "})",
            "{{member}} waiting")), 12, 6);
    d.add(Panel.timeseries("pg_wal and the space left on its disk")
        .description("Size of pg_wal of each instance (pg_ls_waldir()) and the space available on the file "
            + "system holding it (only where exporter-postgres runs on the instance's host). pg_wal grows when "
            + "archiving fails or a slot holds WAL; when its disk is full PostgreSQL stops.")
        .unit("bytes").min(0)
        .query(Query.range("max by (member) (" + PostgresMetrics.WAL_DIRECTORY_BYTES.name() + "{" + SM + "})", "{{member}} pg_wal"))
        .query(Query.range("max by (member) (" + PostgresMetrics.FILESYSTEM_AVAILABLE_BYTES.name() + "{" + SM
            + ", directory=\"wal\"})", "{{member}} available")), 12, 8);
    d.add(Panel.timeseries("Checkpoints, deadlocks, conflicts, checksum failures")
        .description("Per instance and interval: checkpoints by trigger (requested ones mean WAL outgrows "
            + "max_wal_size), deadlocks, queries canceled by recovery conflicts (replicas), data pages with a "
            + "wrong checksum (the disk corrupts data).")
        .unit("short").min(0).bars()
        .query(Query.range("sum by (member, trigger) (increase(" + PostgresMetrics.CHECKPOINTS.name() + "{" + SM
            + "}[$__rate_interval]))", "{{member}} checkpoints {{trigger}}"))
        .query(Query.range("sum by (member) (increase(" + PostgresMetrics.DATABASE_DEADLOCKS.name() + "{" + SM
            + "}[$__rate_interval]))", "{{member}} deadlocks"))
        .query(Query.range("sum by (member) (increase(" + PostgresMetrics.DATABASE_RECOVERY_CONFLICTS.name() + "{" + SM
            + "}[$__rate_interval]))", "{{member}} recovery conflicts"))
        .query(Query.range("sum by (member) (increase(" + PostgresMetrics.DATABASE_CHECKSUM_FAILURES.name() + "{" + SM
            + "}[$__rate_interval]))", "{{member}} checksum failures")), 12, 8);

    d.row("CPU and memory");
    d.add(Panel.timeseries("CPU per instance")
        .description("CPU time used by each instance (the postmaster and all its children, read from "
            + "/proc) per second of wall time: 100% is one full core.")
        .unit("percentunit").min(0)
        .query(Query.range("rate(" + PostgresMetrics.INSTANCE_CPU_SECONDS.name() + "{" + SM + "}[$__rate_interval])",
            "{{member}}")), 12, 8);
    d.add(Panel.timeseries("Resident memory per instance")
        .description("Resident memory of each instance: the postmaster and its children, read from /proc. "
            + "Shared buffers are counted once per process that touched them, so this overstates the total.")
        .unit("bytes").min(0)
        .query(Query.range(PostgresMetrics.INSTANCE_RESIDENT_MEMORY_BYTES.name() + "{" + SM + "}", "{{member}}")), 12, 8);

    d.row("Connections and WAL");
    d.add(Panel.timeseries("Connections by state")
        .description("Client backends of each instance by pg_stat_activity state (active, idle, idle in "
            + "transaction, ...).")
        .unit("short").min(0).stacked()
        .query(Query.range("sum by (member, state) (" + PostgresMetrics.CONNECTIONS.name() + "{" + SM + "})",
            "{{member}} {{state}}")), 12, 8);
    d.add(Panel.timeseries("WAL written")
        .description("Bytes of WAL each instance writes per second (pg_stat_wal). Only the primary generates "
            + "WAL; replicas replay it.")
        .unit("Bps").min(0)
        .query(Query.range("rate(" + PostgresMetrics.WAL_BYTES.name() + "{" + SM + "}[$__rate_interval])", "{{member}}")),
        12, 8);

    d.row("Replication");
    d.add(Common.mergeTable(Panel.table("Replication slots")
            .description("Replication slots on each instance: whether a consumer is attached, the WAL the slot "
                + "holds back from removal, and how much more it may hold before it is lost (safe_wal_size, "
                + "with max_slot_wal_keep_size). An inactive slot retaining ever more WAL fills the disk.")
            .unit("none")
            .override("WAL retained", "unit", "bytes")
            .override("Active", "mappings", Common.valueMappings("1", "active", GREEN, "0", "INACTIVE", RED))
            .query(Query.table("max by (member, slot_name, slot_type) (" + PostgresMetrics.REPLICATION_SLOT_ACTIVE.name() + "{"
                + SM + "})"))
            .query(Query.table("max by (member, slot_name, slot_type) "
                + "(" + PostgresMetrics.REPLICATION_SLOT_RETAINED_WAL_BYTES.name() + "{" + SM + "})"))
            .override("WAL it may still take", "unit", "bytes")
            .query(Query.table("max by (member, slot_name, slot_type) "
                + "(" + PostgresMetrics.REPLICATION_SLOT_SAFE_WAL_BYTES.name() + "{" + SM + "})")),
        Map.of("member", "Member", "slot_name", "Slot", "slot_type", "Type", "Value #A", "Active",
            "Value #B", "WAL retained", "Value #C", "WAL it may still take"),
        List.of()), 12, 8);
    d.add(Panel.timeseries("WAL retained by replication slots")
        .description("WAL kept on disk for each replication slot (pg_current_wal_lsn() minus the slot's "
            + "restart_lsn).")
        .unit("bytes").min(0)
        .query(Query.range(PostgresMetrics.REPLICATION_SLOT_RETAINED_WAL_BYTES.name() + "{" + SM + "}",
            "{{member}} {{slot_name}}")), 12, 8);
    d.add(Panel.timeseries("Standbys streaming")
        .description("Standbys connected to each instance in state streaming (pg_stat_replication): the "
            + "primary should show every replica.")
        .unit("short").min(0).decimals(0)
        .query(Query.range(PostgresMetrics.STANDBYS_STREAMING.name() + "{" + SM + "}", "{{member}}")), 8, 8);
    d.add(Panel.timeseries("Lag per standby and stage (bytes)")
        .description("From the primary's pg_stat_replication: WAL not yet sent, written, flushed and replayed "
            + "by each standby.")
        .unit("bytes").min(0)
        .query(Query.range(PostgresMetrics.REPLICATION_LAG_BYTES.name() + "{" + SM + "}", "{{standby}} {{stage}}")), 8, 8);
    d.add(Panel.timeseries("Lag per standby and stage (seconds)")
        .description("PostgreSQL's write_lag, flush_lag and replay_lag per standby: time from a commit on the "
            + "primary until the standby wrote, flushed, replayed it. On an idle primary they keep the last "
            + "value, then become empty.")
        .unit("s").min(0)
        .query(Query.range(PostgresMetrics.REPLICATION_LAG_SECONDS.name() + "{" + SM + "}", "{{standby}} {{stage}}")), 8, 8);
    return d;
  }
}
