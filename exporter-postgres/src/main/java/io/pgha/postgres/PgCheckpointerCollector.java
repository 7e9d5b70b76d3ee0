package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.CHECKPOINTS;
import static io.pgha.postgres.PostgresMetrics.CHECKPOINT_BUFFERS_WRITTEN;
import static io.pgha.postgres.PostgresMetrics.CHECKPOINT_SYNC_SECONDS;
import static io.pgha.postgres.PostgresMetrics.CHECKPOINT_WRITE_SECONDS;

import io.pgha.common.FamilyPoints;
import java.util.List;

/**
 * Checkpoints of each member, timed against requested (requested ones mean WAL outgrows
 * max_wal_size), and the time they spend writing and syncing: {@code pg_stat_bgwriter} up to
 * PostgreSQL 16, {@code pg_stat_checkpointer} from 17.
 */
final class PgCheckpointerCollector extends SqlCollector<PgCheckpointerCollector.CheckpointerRow> {

  static final String SQL_13 = """
      SELECT checkpoints_timed::float8 AS timed, checkpoints_req::float8 AS requested,
             (checkpoint_write_time / 1000)::float8 AS write_seconds,
             (checkpoint_sync_time / 1000)::float8 AS sync_seconds,
             buffers_checkpoint::float8 AS buffers_written
      FROM pg_stat_bgwriter""";

  /**
   * 17 counts a replica's restartpoints apart from checkpoints; up to 16 the checkpoint columns
   * counted both, so they are added up to mean the same on every version.
   */
  static final String SQL_17 = """
      SELECT (num_timed + restartpoints_timed)::float8 AS timed,
             (num_requested + restartpoints_req)::float8 AS requested,
             (write_time / 1000)::float8 AS write_seconds, (sync_time / 1000)::float8 AS sync_seconds,
             buffers_written::float8 AS buffers_written
      FROM pg_stat_checkpointer""";

  static final PgQuery<CheckpointerRow> QUERY = PgQuery.byVersion("checkpointer", row -> new CheckpointerRow(
      row.number("timed"), row.number("requested"), row.number("write_seconds"), row.number("sync_seconds"),
      row.number("buffers_written")), PgQuery.since(130000, SQL_13), PgQuery.since(170000, SQL_17));

  record CheckpointerRow(Double timed, Double requested, Double writeSeconds, Double syncSeconds,
      Double buffersWritten) {}

  PgCheckpointerCollector(PostgresSampler sampler) {
    super(sampler, QUERY, CHECKPOINTS, CHECKPOINT_WRITE_SECONDS, CHECKPOINT_SYNC_SECONDS, CHECKPOINT_BUFFERS_WRITTEN);
  }

  @Override
  void addPoints(FamilyPoints points, PostgresTarget target, List<CheckpointerRow> rows) {
    for (CheckpointerRow r : rows) {
      points.add(CHECKPOINTS, r.timed(), target.labelValues("timed"))
          .add(CHECKPOINTS, r.requested(), target.labelValues("requested"))
          .add(CHECKPOINT_WRITE_SECONDS, r.writeSeconds(), target.labelValues())
          .add(CHECKPOINT_SYNC_SECONDS, r.syncSeconds(), target.labelValues())
          .add(CHECKPOINT_BUFFERS_WRITTEN, r.buffersWritten(), target.labelValues());
    }
  }
}
