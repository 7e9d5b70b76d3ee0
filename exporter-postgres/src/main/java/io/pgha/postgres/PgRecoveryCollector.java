package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.IN_RECOVERY;
import static io.pgha.postgres.PostgresMetrics.REPLICA_LAST_REPLAY_AGE_SECONDS;
import static io.pgha.postgres.PostgresMetrics.REPLICA_REPLAY_LAG_BYTES;
import static io.pgha.postgres.PostgresMetrics.REPLICA_REPLAY_PAUSED;
import static io.pgha.postgres.PostgresMetrics.TIMELINE;
import static io.pgha.postgres.PostgresMetrics.WAL_POSITION_BYTES;

import io.pgha.common.FamilyPoints;
import java.util.List;

/**
 * Role, timeline and WAL position of each member, and on a replica how far replay trails
 * reception, from PostgreSQL's recovery information functions.
 */
final class PgRecoveryCollector extends SqlCollector<PgRecoveryCollector.RecoveryRow> {

  /**
   * The timeline of a primary is the one it writes (from the current WAL file name); a replica's
   * is the one it receives, or, with no WAL receiver, the one of its last restartpoint.
   * {@code %s} is how the server says whether replay is paused.
   */
  private static final String SQL_TEMPLATE = """
      SELECT pg_is_in_recovery() AS in_recovery,
             CASE WHEN pg_is_in_recovery()
                  THEN coalesce((SELECT received_tli FROM pg_stat_wal_receiver WHERE received_tli > 0),
                                (pg_control_checkpoint()).timeline_id)
                  ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int
             END::float8 AS timeline,
             (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END
              - '0/0')::float8 AS wal_position_bytes,
             (pg_last_wal_receive_lsn() - pg_last_wal_replay_lsn())::float8 AS replay_lag_bytes,
             extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS last_replay_age_seconds,
             CASE WHEN pg_is_in_recovery() THEN %s END AS replay_paused""";

  /** PostgreSQL 14 and later: a requested pause counts too (replay stops at the next record). */
  static final String SQL = SQL_TEMPLATE.formatted("pg_get_wal_replay_pause_state() <> 'not paused'");
  /** PostgreSQL 13 has only pg_is_wal_replay_paused(), which is true once a pause is requested. */
  static final String SQL_13 = SQL_TEMPLATE.formatted("pg_is_wal_replay_paused()");

  static final PgQuery<RecoveryRow> QUERY = PgQuery.byVersion("recovery", row -> new RecoveryRow(
      row.bool("in_recovery"), row.number("timeline"), row.number("wal_position_bytes"),
      nonNegative(row.number("replay_lag_bytes")), nonNegative(row.number("last_replay_age_seconds")),
      row.bool("replay_paused")), PgQuery.since(130000, SQL_13), PgQuery.since(140000, SQL));

  /** Nulls are what PostgreSQL gives: replica-only values are null on a primary. */
  record RecoveryRow(Boolean inRecovery, Double timeline, Double walPositionBytes, Double replayLagBytes,
      Double lastReplayAgeSeconds, Boolean replayPaused) {}

  PgRecoveryCollector(PostgresSampler sampler) {
    super(sampler, QUERY, IN_RECOVERY, TIMELINE, WAL_POSITION_BYTES, REPLICA_REPLAY_LAG_BYTES,
        REPLICA_LAST_REPLAY_AGE_SECONDS, REPLICA_REPLAY_PAUSED);
  }

  @Override
  void addPoints(FamilyPoints points, PostgresTarget target, List<RecoveryRow> rows) {
    String[] labels = target.labelValues();
    for (RecoveryRow r : rows) {
      points.add(IN_RECOVERY, flag(r.inRecovery()), labels)
          .add(TIMELINE, r.timeline(), labels)
          .add(WAL_POSITION_BYTES, r.walPositionBytes(), labels)
          .add(REPLICA_REPLAY_LAG_BYTES, r.replayLagBytes(), labels)
          .add(REPLICA_LAST_REPLAY_AGE_SECONDS, r.lastReplayAgeSeconds(), labels)
          .add(REPLICA_REPLAY_PAUSED, flag(r.replayPaused()), labels);
    }
  }
}
