package io.pgha.postgres;

import static io.pgha.common.Snapshots.gauge;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Role, timeline and WAL position of each member, and on a replica how far replay trails
 * reception, from PostgreSQL's recovery information functions.
 */
final class PgRecoveryCollector extends SqlCollector<PgRecoveryCollector.RecoveryRow> {

  /**
   * The timeline of a primary is the one it writes (from the current WAL file name); a replica's
   * is the one it receives, or, with no WAL receiver, the one of its last restartpoint.
   */
  static final String SQL = """
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
             CASE WHEN pg_is_in_recovery() THEN pg_get_wal_replay_pause_state() <> 'not paused' END AS replay_paused""";

  static final PgQuery<RecoveryRow> QUERY = new PgQuery<>("recovery", SQL, row -> new RecoveryRow(
      row.bool("in_recovery"), row.number("timeline"), row.number("wal_position_bytes"),
      nonNegative(row.number("replay_lag_bytes")), nonNegative(row.number("last_replay_age_seconds")),
      row.bool("replay_paused")));

  /** Nulls are what PostgreSQL gives: replica-only values are null on a primary. */
  record RecoveryRow(Boolean inRecovery, Double timeline, Double walPositionBytes, Double replayLagBytes,
      Double lastReplayAgeSeconds, Boolean replayPaused) {}

  PgRecoveryCollector(PostgresSampler sampler) {
    super(sampler, QUERY);
  }

  @Override
  List<MetricSnapshot> snapshots(Map<PostgresTarget, List<RecoveryRow>> rowsByTarget) {
    List<GaugeDataPointSnapshot> inRecovery = new ArrayList<>();
    List<GaugeDataPointSnapshot> timeline = new ArrayList<>();
    List<GaugeDataPointSnapshot> position = new ArrayList<>();
    List<GaugeDataPointSnapshot> replayLag = new ArrayList<>();
    List<GaugeDataPointSnapshot> replayAge = new ArrayList<>();
    List<GaugeDataPointSnapshot> paused = new ArrayList<>();
    rowsByTarget.forEach((target, rows) -> {
      for (RecoveryRow r : rows) {
        String[] labels = target.labels();
        add(inRecovery, flag(r.inRecovery()), labels);
        add(timeline, r.timeline(), labels);
        add(position, r.walPositionBytes(), labels);
        add(replayLag, r.replayLagBytes(), labels);
        add(replayAge, r.lastReplayAgeSeconds(), labels);
        add(paused, flag(r.replayPaused()), labels);
      }
    });
    return List.of(
        gauge("pgha_postgres_in_recovery",
            "1 if the member is in recovery (a replica or standby leader), 0 if it is a primary: pg_is_in_recovery().",
            inRecovery),
        gauge("pgha_postgres_timeline",
            "Timeline the member is on: a primary's current timeline, a replica's received (or last restartpoint's) timeline.",
            timeline),
        gauge("pgha_postgres_wal_position_bytes",
            "Current WAL position in bytes: pg_current_wal_lsn() on a primary, pg_last_wal_replay_lsn() on a replica.",
            position),
        gauge("pgha_postgres_replica_replay_lag_bytes",
            "On a replica: WAL received but not yet replayed, pg_last_wal_receive_lsn() - pg_last_wal_replay_lsn(),"
                + " in bytes. Absent on a primary and before the replica has received anything by streaming.",
            replayLag),
        gauge("pgha_postgres_replica_last_replay_age_seconds",
            "On a replica: seconds since the commit time of the last transaction replayed,"
                + " now() - pg_last_xact_replay_timestamp(). It also grows while the primary is idle (nothing to"
                + " replay), so never alert on it alone: combine it with the lag in bytes.",
            replayAge),
        gauge("pgha_postgres_replica_replay_paused",
            "On a replica: 1 if WAL replay is paused or a pause is requested (pg_get_wal_replay_pause_state()), else 0.",
            paused));
  }
}
