package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.REPLICATION_LAG_BYTES;
import static io.pgha.postgres.PostgresMetrics.REPLICATION_LAG_SECONDS;
import static io.pgha.postgres.PostgresMetrics.REPLICATION_REPLY_AGE_SECONDS;
import static io.pgha.postgres.PostgresMetrics.REPLICATION_STATE;
import static io.pgha.postgres.PostgresMetrics.REPLICATION_SYNC_STATE;
import static io.pgha.postgres.PostgresMetrics.STANDBYS_STREAMING;

import io.pgha.common.FamilyPoints;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per standby, as its primary (or cascading upstream) sees it in {@code pg_stat_replication}:
 * lag in bytes at each stage, PostgreSQL's own lag times, state and sync state. The standby is
 * named by its {@code application_name}, which Patroni sets to the member name.
 */
final class PgStatReplicationCollector extends SqlCollector<PgStatReplicationCollector.StandbyRow> {

  /** Lag in bytes is measured from what this server has: its write position, or on a cascading replica what it received. */
  static final String SQL = """
      WITH w AS MATERIALIZED (
        SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END AS lsn)
      SELECT r.application_name AS standby, r.state, r.sync_state,
             (w.lsn - r.sent_lsn)::float8 AS sent_lag_bytes,
             (w.lsn - r.write_lsn)::float8 AS write_lag_bytes,
             (w.lsn - r.flush_lsn)::float8 AS flush_lag_bytes,
             (w.lsn - r.replay_lsn)::float8 AS replay_lag_bytes,
             extract(epoch FROM r.write_lag)::float8 AS write_lag_seconds,
             extract(epoch FROM r.flush_lag)::float8 AS flush_lag_seconds,
             extract(epoch FROM r.replay_lag)::float8 AS replay_lag_seconds,
             extract(epoch FROM now() - r.reply_time)::float8 AS reply_age_seconds
      FROM pg_stat_replication r CROSS JOIN w""";

  static final PgQuery<StandbyRow> QUERY = new PgQuery<>("stat_replication", SQL, row -> new StandbyRow(
      row.text("standby"), row.text("state"), row.text("sync_state"),
      nonNegative(row.number("sent_lag_bytes")), nonNegative(row.number("write_lag_bytes")),
      nonNegative(row.number("flush_lag_bytes")), nonNegative(row.number("replay_lag_bytes")),
      row.number("write_lag_seconds"), row.number("flush_lag_seconds"), row.number("replay_lag_seconds"),
      nonNegative(row.number("reply_age_seconds"))));

  static final List<String> STATES = List.of("startup", "catchup", "streaming", "backup", "stopping", "other");
  static final List<String> SYNC_STATES = List.of("async", "potential", "sync", "quorum", "other");

  record StandbyRow(String standby, String state, String syncState,
      Double sentLagBytes, Double writeLagBytes, Double flushLagBytes, Double replayLagBytes,
      Double writeLagSeconds, Double flushLagSeconds, Double replayLagSeconds, Double replyAgeSeconds) {}

  PgStatReplicationCollector(PostgresSampler sampler) {
    super(sampler, QUERY, REPLICATION_LAG_BYTES, REPLICATION_LAG_SECONDS, REPLICATION_STATE,
        REPLICATION_SYNC_STATE, REPLICATION_REPLY_AGE_SECONDS, STANDBYS_STREAMING);
  }

  @Override
  void addPoints(FamilyPoints points, PostgresTarget target, List<StandbyRow> rows) {
    List<StandbyRow> standbys = onePerStandby(rows);
    for (StandbyRow r : standbys) {
      String standby = r.standby();
      points.add(REPLICATION_LAG_BYTES, r.sentLagBytes(), target.labelValues(standby, "sent"))
          .add(REPLICATION_LAG_BYTES, r.writeLagBytes(), target.labelValues(standby, "write"))
          .add(REPLICATION_LAG_BYTES, r.flushLagBytes(), target.labelValues(standby, "flush"))
          .add(REPLICATION_LAG_BYTES, r.replayLagBytes(), target.labelValues(standby, "replay"))
          .add(REPLICATION_LAG_SECONDS, lagSeconds(r.writeLagSeconds(), r.writeLagBytes()),
              target.labelValues(standby, "write"))
          .add(REPLICATION_LAG_SECONDS, lagSeconds(r.flushLagSeconds(), r.flushLagBytes()),
              target.labelValues(standby, "flush"))
          .add(REPLICATION_LAG_SECONDS, lagSeconds(r.replayLagSeconds(), r.replayLagBytes()),
              target.labelValues(standby, "replay"))
          .addAll(REPLICATION_STATE, REPLICATION_STATE.oneHot(STATES, known(STATES, r.state()),
              target.labelValues(standby)))
          .addAll(REPLICATION_SYNC_STATE, REPLICATION_SYNC_STATE.oneHot(SYNC_STATES,
              known(SYNC_STATES, r.syncState()), target.labelValues(standby)))
          .add(REPLICATION_REPLY_AGE_SECONDS, r.replyAgeSeconds(), target.labelValues(standby));
    }
    points.add(STANDBYS_STREAMING, (double) standbys.stream().filter(r -> "streaming".equals(r.state())).count(),
        target.labelValues());
  }

  /**
   * A reconnecting standby can show twice for a moment (old and new walsender); two series with
   * the same labels would break the scrape, so keep the most useful one: streaming first, then
   * the least behind.
   */
  static List<StandbyRow> onePerStandby(List<StandbyRow> rows) {
    Map<String, StandbyRow> best = new LinkedHashMap<>();
    Comparator<StandbyRow> preference = Comparator
        .comparing((StandbyRow r) -> !"streaming".equals(r.state()))
        .thenComparing(r -> r.replayLagBytes() == null ? Double.MAX_VALUE : r.replayLagBytes());
    rows.stream()
        .filter(r -> r.standby() != null)
        .sorted(Comparator.comparing(StandbyRow::standby).thenComparing(preference))
        .forEach(r -> best.putIfAbsent(r.standby(), r));
    return List.copyOf(best.values());
  }

  /** NULL lag with nothing outstanding means caught up; with bytes outstanding it is unknown. */
  static Double lagSeconds(Double seconds, Double bytes) {
    if (seconds != null) {
      return seconds;
    }
    return bytes != null && bytes == 0 ? 0.0 : null;
  }
}
