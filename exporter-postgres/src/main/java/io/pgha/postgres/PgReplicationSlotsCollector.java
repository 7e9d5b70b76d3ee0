package io.pgha.postgres;

import static io.pgha.common.Snapshots.gauge;
import static io.pgha.common.Snapshots.oneHot;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Replication slots of each member and the WAL they hold back, from {@code pg_replication_slots}. */
final class PgReplicationSlotsCollector extends SqlCollector<PgReplicationSlotsCollector.SlotRow> {

  /**
   * Temporary slots are left out: pg_basebackup names them after its pid, a churning label.
   * A slot that never reserved WAL (restart_lsn NULL) retains nothing.
   */
  static final String SQL = """
      WITH w AS MATERIALIZED (
        SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END AS lsn)
      SELECT s.slot_name, s.slot_type, s.active, s.wal_status,
             CASE WHEN s.restart_lsn IS NULL THEN 0 ELSE w.lsn - s.restart_lsn END::float8
               AS retained_wal_bytes
      FROM pg_replication_slots s CROSS JOIN w
      WHERE NOT s.temporary""";

  static final PgQuery<SlotRow> QUERY = new PgQuery<>("replication_slots", SQL, row -> new SlotRow(
      row.text("slot_name"), row.text("slot_type"), row.bool("active"), row.text("wal_status"),
      nonNegative(row.number("retained_wal_bytes"))));

  static final List<String> WAL_STATUSES = List.of("reserved", "extended", "unreserved", "lost", "other");

  record SlotRow(String slotName, String slotType, Boolean active, String walStatus, Double retainedWalBytes) {}

  PgReplicationSlotsCollector(PostgresSampler sampler) {
    super(sampler, QUERY);
  }

  @Override
  List<MetricSnapshot> snapshots(Map<PostgresTarget, List<SlotRow>> rowsByTarget) {
    List<GaugeDataPointSnapshot> active = new ArrayList<>();
    List<GaugeDataPointSnapshot> retained = new ArrayList<>();
    List<GaugeDataPointSnapshot> walStatus = new ArrayList<>();
    rowsByTarget.forEach((target, rows) -> {
      for (SlotRow r : rows) {
        if (r.slotName() == null || r.slotType() == null) {
          continue;
        }
        String[] labels = target.labels("slot_name", r.slotName(), "slot_type", r.slotType());
        add(active, flag(r.active()), labels);
        add(retained, r.retainedWalBytes(), labels);
        walStatus.addAll(oneHot("wal_status", WAL_STATUSES, known(WAL_STATUSES, r.walStatus()), labels));
      }
    });
    return List.of(
        gauge("pgha_postgres_replication_slot_active",
            "1 if a consumer is connected to the replication slot (pg_replication_slots.active), 0 if not.", active),
        gauge("pgha_postgres_replication_slot_retained_wal_bytes",
            "WAL the slot keeps from being removed: current WAL position (replayed position on a replica)"
                + " minus the slot's restart_lsn, in bytes.",
            retained),
        gauge("pgha_postgres_replication_slot_wal_status",
            "Availability of the WAL the slot needs (pg_replication_slots.wal_status): reserved, extended,"
                + " unreserved (about to be lost), lost (the consumer cannot catch up), other (none reserved yet);"
                + " 1 for the current one.",
            walStatus));
  }
}
