package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.WAL_RECEIVER_LAST_MESSAGE_AGE_SECONDS;
import static io.pgha.postgres.PostgresMetrics.WAL_RECEIVER_STREAMING;

import io.pgha.common.FamilyPoints;
import java.util.List;

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
    super(sampler, QUERY, WAL_RECEIVER_STREAMING, WAL_RECEIVER_LAST_MESSAGE_AGE_SECONDS);
  }

  @Override
  void addPoints(FamilyPoints points, PostgresTarget target, List<WalReceiverRow> rows) {
    for (WalReceiverRow r : rows) {
      // A primary has no WAL receiver by design; 0 there would read as a broken replica.
      if (Boolean.TRUE.equals(r.inRecovery())) {
        points.add(WAL_RECEIVER_STREAMING, "streaming".equals(r.status()) ? 1.0 : 0.0, target.labelValues())
            .add(WAL_RECEIVER_LAST_MESSAGE_AGE_SECONDS, r.lastMessageAgeSeconds(), target.labelValues());
      }
    }
  }
}
