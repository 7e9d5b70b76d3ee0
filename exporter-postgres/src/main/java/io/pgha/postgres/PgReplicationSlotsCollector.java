package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.REPLICATION_SLOT_ACTIVE;
import static io.pgha.postgres.PostgresMetrics.REPLICATION_SLOT_RETAINED_WAL_BYTES;
import static io.pgha.postgres.PostgresMetrics.REPLICATION_SLOT_SAFE_WAL_BYTES;
import static io.pgha.postgres.PostgresMetrics.REPLICATION_SLOT_WAL_STATUS;
import static io.pgha.postgres.PostgresMetrics.REPLICATION_SLOT_XMIN_AGE;

import io.pgha.common.FamilyPoints;
import java.util.List;

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
    super(sampler, QUERY, REPLICATION_SLOT_ACTIVE, REPLICATION_SLOT_RETAINED_WAL_BYTES, REPLICATION_SLOT_WAL_STATUS,
        REPLICATION_SLOT_SAFE_WAL_BYTES, REPLICATION_SLOT_XMIN_AGE);
  }

  @Override
  void addPoints(FamilyPoints points, PostgresTarget target, List<SlotRow> rows) {
    for (SlotRow r : rows) {
      if (r.slotName() == null || r.slotType() == null) {
        continue;
      }
      String[] labels = target.labelValues(r.slotName(), r.slotType());
      points.add(REPLICATION_SLOT_ACTIVE, flag(r.active()), labels)
          .add(REPLICATION_SLOT_RETAINED_WAL_BYTES, r.retainedWalBytes(), labels)
          .addAll(REPLICATION_SLOT_WAL_STATUS,
              REPLICATION_SLOT_WAL_STATUS.oneHot(WAL_STATUSES, known(WAL_STATUSES, r.walStatus()), labels))
          .add(REPLICATION_SLOT_SAFE_WAL_BYTES, r.safeWalBytes(), labels)
          .add(REPLICATION_SLOT_XMIN_AGE, r.xminAge(), labels);
    }
  }
}
