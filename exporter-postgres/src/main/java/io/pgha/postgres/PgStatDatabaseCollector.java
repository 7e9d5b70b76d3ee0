package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.DATABASE_CHECKSUM_FAILURES;
import static io.pgha.postgres.PostgresMetrics.DATABASE_COMMITS;
import static io.pgha.postgres.PostgresMetrics.DATABASE_DEADLOCKS;
import static io.pgha.postgres.PostgresMetrics.DATABASE_RECOVERY_CONFLICTS;
import static io.pgha.postgres.PostgresMetrics.DATABASE_ROLLBACKS;
import static io.pgha.postgres.PostgresMetrics.DATABASE_TEMP_BYTES;

import io.pgha.common.FamilyPoints;
import java.util.List;

/**
 * Per database counters that warn early of disk or design trouble (checksum failures, deadlocks,
 * recovery conflicts, temporary files) and the commit/rollback rates, from {@code pg_stat_database}.
 */
final class PgStatDatabaseCollector extends SqlCollector<PgStatDatabaseCollector.StatDatabaseRow> {

  /** The row without a database counts the shared catalogs; a checksum failure there matters as much. */
  static final String SHARED = "(shared)";

  static final String SQL = """
      SELECT coalesce(datname, '%s') AS database, xact_commit::float8 AS commits,
             xact_rollback::float8 AS rollbacks, deadlocks::float8 AS deadlocks,
             conflicts::float8 AS recovery_conflicts, temp_bytes::float8 AS temp_bytes,
             checksum_failures::float8 AS checksum_failures
      FROM pg_stat_database""".formatted(SHARED);

  static final PgQuery<StatDatabaseRow> QUERY = new PgQuery<>("stat_database", SQL, row -> new StatDatabaseRow(
      row.text("database"), row.number("commits"), row.number("rollbacks"), row.number("deadlocks"),
      row.number("recovery_conflicts"), row.number("temp_bytes"), row.number("checksum_failures")));

  record StatDatabaseRow(String database, Double commits, Double rollbacks, Double deadlocks,
      Double recoveryConflicts, Double tempBytes, Double checksumFailures) {}

  PgStatDatabaseCollector(PostgresSampler sampler) {
    super(sampler, QUERY, DATABASE_COMMITS, DATABASE_ROLLBACKS, DATABASE_DEADLOCKS, DATABASE_RECOVERY_CONFLICTS,
        DATABASE_TEMP_BYTES, DATABASE_CHECKSUM_FAILURES);
  }

  @Override
  void addPoints(FamilyPoints points, PostgresTarget target, List<StatDatabaseRow> rows) {
    for (StatDatabaseRow r : rows) {
      String[] labels = target.labelValues(r.database());
      points.add(DATABASE_COMMITS, r.commits(), labels)
          .add(DATABASE_ROLLBACKS, r.rollbacks(), labels)
          .add(DATABASE_DEADLOCKS, r.deadlocks(), labels)
          .add(DATABASE_RECOVERY_CONFLICTS, r.recoveryConflicts(), labels)
          .add(DATABASE_TEMP_BYTES, r.tempBytes(), labels)
          .add(DATABASE_CHECKSUM_FAILURES, r.checksumFailures(), labels);
    }
  }
}
