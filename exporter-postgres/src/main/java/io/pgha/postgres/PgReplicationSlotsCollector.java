package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.REPLICATION_SLOT_ACTIVE;
import static io.pgha.postgres.PostgresMetrics.REPLICATION_SLOT_RETAINED_WAL_BYTES;
import static io.pgha.postgres.PostgresMetrics.REPLICATION_SLOT_SAFE_WAL_BYTES;
import static io.pgha.postgres.PostgresMetrics.REPLICATION_SLOT_WAL_STATUS;
import static io.pgha.postgres.PostgresMetrics.REPLICATION_SLOT_XMIN_AGE;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Replication slots of each member and the WAL they hold back, from {@code pg_replication_slots}. */
final class PgReplicationSlotsCollector extends SqlCollector<PgReplicationSlotsCollector.SlotRow> {

  /**
   * Temporary slots are left out: pg_basebackup names them after its pid, a churning label.
   * A slot that never reserved WAL (restart_lsn NULL) retains nothing. greatest() skips NULLs: a
   * physical slot has at most an xmin, a logical one a catalog_xmin (and maybe an xmin).
   */
  static final String SQL = """
      WITH w AS MATERIALIZED (
        SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END AS lsn)
      SELECT s.slot_name, s.slot_type, s.active, s.wal_status,
             CASE WHEN s.restart_lsn IS NULL THEN 0 ELSE w.lsn - s.restart_lsn END::float8
               AS retained_wal_bytes,
             s.safe_wal_size::float8 AS safe_wal_bytes,
             greatest(age(s.xmin), age(s.catalog_xmin))::float8 AS xmin_age
      FROM pg_replication_slots s CROSS JOIN w
      WHERE NOT s.temporary""";

  static final PgQuery<SlotRow> QUERY = new PgQuery<>("replication_slots", SQL, row -> new SlotRow(
      row.text("slot_name"), row.text("slot_type"), row.bool("active"), row.text("wal_status"),
      nonNegative(row.number("retained_wal_bytes")), nonNegative(row.number("safe_wal_bytes")),
      row.number("xmin_age")));

  static final List<String> WAL_STATUSES = List.of("reserved", "extended", "unreserved", "lost", "other");

  record SlotRow(String slotName, String slotType, Boolean active, String walStatus, Double retainedWalBytes,
      Double safeWalBytes, Double xminAge) {}

  PgReplicationSlotsCollector(PostgresSampler sampler) {
    super(sampler, QUERY);
  }

  @Override
  List<MetricSnapshot> snapshots(Map<PostgresTarget, List<SlotRow>> rowsByTarget) {
    List<GaugeDataPointSnapshot> active = new ArrayList<>();
    List<GaugeDataPointSnapshot> retained = new ArrayList<>();
    List<GaugeDataPointSnapshot> walStatus = new ArrayList<>();
    List<GaugeDataPointSnapshot> safeWal = new ArrayList<>();
    List<GaugeDataPointSnapshot> xminAge = new ArrayList<>();
    rowsByTarget.forEach((target, rows) -> {
      for (SlotRow r : rows) {
        if (r.slotName() == null || r.slotType() == null) {
          continue;
        }
        String[] labels = target.labelValues(r.slotName(), r.slotType());
        add(active, REPLICATION_SLOT_ACTIVE, flag(r.active()), labels);
        add(retained, REPLICATION_SLOT_RETAINED_WAL_BYTES, r.retainedWalBytes(), labels);
        walStatus.addAll(REPLICATION_SLOT_WAL_STATUS.oneHot(WAL_STATUSES, known(WAL_STATUSES, r.walStatus()), labels));
        add(safeWal, REPLICATION_SLOT_SAFE_WAL_BYTES, r.safeWalBytes(), labels);
        add(xminAge, REPLICATION_SLOT_XMIN_AGE, r.xminAge(), labels);
      }
    });
    return List.of(REPLICATION_SLOT_ACTIVE.snapshot(active), REPLICATION_SLOT_RETAINED_WAL_BYTES.snapshot(retained),
        REPLICATION_SLOT_WAL_STATUS.snapshot(walStatus), REPLICATION_SLOT_SAFE_WAL_BYTES.snapshot(safeWal),
        REPLICATION_SLOT_XMIN_AGE.snapshot(xminAge));
  }
}
