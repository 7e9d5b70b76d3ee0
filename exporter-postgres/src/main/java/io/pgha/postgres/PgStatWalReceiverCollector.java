package io.pgha.postgres;

import static io.pgha.common.Snapshots.gauge;
import static io.pgha.common.Snapshots.gaugePoint;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A replica's side of streaming replication, from {@code pg_stat_wal_receiver}. */
final class PgStatWalReceiverCollector extends SqlCollector<PgStatWalReceiverCollector.WalReceiverRow> {

  /** Always one row, so a replica without a WAL receiver still reports "not streaming". */
  static final String SQL = """
      SELECT pg_is_in_recovery() AS in_recovery, r.status,
             extract(epoch FROM now() - r.last_msg_receipt_time)::float8 AS last_message_age_seconds
      FROM (SELECT 1) AS one LEFT JOIN pg_stat_wal_receiver r ON true""";

  static final PgQuery<WalReceiverRow> QUERY = new PgQuery<>("stat_wal_receiver", SQL, row -> new WalReceiverRow(
      row.bool("in_recovery"), row.text("status"), nonNegative(row.number("last_message_age_seconds"))));

  record WalReceiverRow(Boolean inRecovery, String status, Double lastMessageAgeSeconds) {}

  PgStatWalReceiverCollector(PostgresSampler sampler) {
    super(sampler, QUERY);
  }

  @Override
  List<MetricSnapshot> snapshots(Map<PostgresTarget, List<WalReceiverRow>> rowsByTarget) {
    List<GaugeDataPointSnapshot> streaming = new ArrayList<>();
    List<GaugeDataPointSnapshot> age = new ArrayList<>();
    rowsByTarget.forEach((target, rows) -> {
      for (WalReceiverRow r : rows) {
        // A primary has no WAL receiver by design; 0 there would read as a broken replica.
        if (!Boolean.TRUE.equals(r.inRecovery())) {
          continue;
        }
        streaming.add(gaugePoint("streaming".equals(r.status()) ? 1 : 0, target.labels()));
        add(age, r.lastMessageAgeSeconds(), target.labels());
      }
    });
    return List.of(
        gauge("pgha_postgres_wal_receiver_streaming",
            "On a replica: 1 if its WAL receiver is streaming from the upstream (pg_stat_wal_receiver.status),"
                + " 0 if it is not (no receiver, starting, waiting, stopping). Absent on a primary.",
            streaming),
        gauge("pgha_postgres_wal_receiver_last_message_age_seconds",
            "On a replica: seconds since the WAL receiver last got a message from the upstream"
                + " (now() - last_msg_receipt_time). While the primary is idle only keepalives arrive, so it can"
                + " reach about wal_sender_timeout / 2 (30 s by default) without anything being wrong.",
            age));
  }
}
