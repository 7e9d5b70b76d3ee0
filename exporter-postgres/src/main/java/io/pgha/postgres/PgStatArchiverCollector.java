package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.ARCHIVER_ARCHIVED;
import static io.pgha.postgres.PostgresMetrics.ARCHIVER_FAILED;
import static io.pgha.postgres.PostgresMetrics.ARCHIVER_FAILING;
import static io.pgha.postgres.PostgresMetrics.ARCHIVER_LAST_ARCHIVED_TIMESTAMP;
import static io.pgha.postgres.PostgresMetrics.ARCHIVER_LAST_FAILED_TIMESTAMP;
import static io.pgha.postgres.PostgresMetrics.ARCHIVER_PENDING_WAL_FILES;

import io.pgha.common.FamilyPoints;
import java.util.List;

/** WAL archiving of each member: pg_stat_archiver, and the files waiting in pg_wal/archive_status. */
final class PgStatArchiverCollector extends SqlCollector<PgStatArchiverCollector.ArchiverRow> {

  /**
   * "Failing" needs the archiver to run at all: a replica with archive_mode on does not archive,
   * and statistics from before a demotion or from when archive_mode was on would otherwise say
   * failing for ever. A failed file is retried until it succeeds, so a failure later than the last
   * success means the archiver is stuck on it.
   */
  static final String SQL = """
      SELECT archived_count::float8 AS archived, failed_count::float8 AS failed,
             extract(epoch FROM last_archived_time)::float8 AS last_archived_time,
             extract(epoch FROM last_failed_time)::float8 AS last_failed_time,
             coalesce((current_setting('archive_mode') = 'always'
                       OR (current_setting('archive_mode') = 'on' AND NOT pg_is_in_recovery()))
                      AND last_failed_time > coalesce(last_archived_time, '-infinity'), false) AS failing,
             (SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready')::float8 AS pending_wal_files
      FROM pg_stat_archiver""";

  static final PgQuery<ArchiverRow> QUERY = new PgQuery<>("stat_archiver", SQL, row -> new ArchiverRow(
      row.number("archived"), row.number("failed"), row.number("last_archived_time"), row.number("last_failed_time"),
      row.bool("failing"), row.number("pending_wal_files")));

  record ArchiverRow(Double archived, Double failed, Double lastArchivedTime, Double lastFailedTime, Boolean failing,
      Double pendingWalFiles) {}

  PgStatArchiverCollector(PostgresSampler sampler) {
    super(sampler, QUERY, ARCHIVER_ARCHIVED, ARCHIVER_FAILED, ARCHIVER_LAST_ARCHIVED_TIMESTAMP,
        ARCHIVER_LAST_FAILED_TIMESTAMP, ARCHIVER_FAILING, ARCHIVER_PENDING_WAL_FILES);
  }

  @Override
  void addPoints(FamilyPoints points, PostgresTarget target, List<ArchiverRow> rows) {
    String[] labels = target.labelValues();
    for (ArchiverRow r : rows) {
      points.add(ARCHIVER_ARCHIVED, r.archived(), labels)
          .add(ARCHIVER_FAILED, r.failed(), labels)
          .add(ARCHIVER_LAST_ARCHIVED_TIMESTAMP, r.lastArchivedTime(), labels)
          .add(ARCHIVER_LAST_FAILED_TIMESTAMP, r.lastFailedTime(), labels)
          .add(ARCHIVER_FAILING, flag(r.failing()), labels)
          .add(ARCHIVER_PENDING_WAL_FILES, r.pendingWalFiles(), labels);
    }
  }
}
