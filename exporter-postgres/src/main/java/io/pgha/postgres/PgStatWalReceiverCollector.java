package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.WAL_RECEIVER_LAST_MESSAGE_AGE_SECONDS;
import static io.pgha.postgres.PostgresMetrics.WAL_RECEIVER_STREAMING;

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
        streaming.add(WAL_RECEIVER_STREAMING.point("streaming".equals(r.status()) ? 1 : 0, target.labelValues()));
        add(age, WAL_RECEIVER_LAST_MESSAGE_AGE_SECONDS, r.lastMessageAgeSeconds(), target.labelValues());
      }
    });
    return List.of(WAL_RECEIVER_STREAMING.snapshot(streaming), WAL_RECEIVER_LAST_MESSAGE_AGE_SECONDS.snapshot(age));
  }
}
