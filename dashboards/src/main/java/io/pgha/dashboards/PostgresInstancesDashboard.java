package io.pgha.dashboards;

import static io.pgha.dashboards.Common.BLUE;
import static io.pgha.dashboards.Common.GREEN;
import static io.pgha.dashboards.Common.RED;

import io.pgha.postgres.PostgresMetrics;
import java.util.List;
import java.util.Map;

/** PostgreSQL instances: CPU, memory, connections, WAL, replication slots and per-standby lag. */
final class PostgresInstancesDashboard {

  static final String UID = "pgha-postgres-instances";

  private static final String SM = "scope=\"$scope\", member=~\"$member\"";

  private PostgresInstancesDashboard() {}

  static Dashboard build() {
    Dashboard d = Dashboard.create(UID, "pgha / PostgreSQL instances", "pgha-postgres-instances.json")
        .description("The PostgreSQL instances of one Patroni cluster, from exporter-postgres: CPU and memory "
            + "of each instance, connections, WAL rate, replication slots and lag per standby.")
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
            .description("Replication slots on each instance: whether a consumer is attached, and the WAL "
                + "the slot holds back from removal. An inactive slot retaining ever more WAL fills the disk.")
            .unit("none")
            .override("WAL retained", "unit", "bytes")
            .override("Active", "mappings", Common.valueMappings("1", "active", GREEN, "0", "INACTIVE", RED))
            .query(Query.table("max by (member, slot_name, slot_type) (" + PostgresMetrics.REPLICATION_SLOT_ACTIVE.name() + "{"
                + SM + "})"))
            .query(Query.table("max by (member, slot_name, slot_type) "
                + "(" + PostgresMetrics.REPLICATION_SLOT_RETAINED_WAL_BYTES.name() + "{" + SM + "})")),
        Map.of("member", "Member", "slot_name", "Slot", "slot_type", "Type", "Value #A", "Active",
            "Value #B", "WAL retained"),
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
