package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.MULTIXACT_AGE;
import static io.pgha.postgres.PostgresMetrics.XID_AGE;
import static io.pgha.postgres.PostgresMetrics.XID_WRAPAROUND_RATIO;

import io.pgha.common.FamilyPoints;
import java.util.List;

/**
 * How close each member is to transaction ID and multixact wraparound, from {@code pg_database}:
 * every database counts, template0 included (autovacuum must freeze it too). A replica shows the
 * primary's values as replayed.
 */
final class PgDatabaseAgeCollector extends SqlCollector<PgDatabaseAgeCollector.DatabaseAgeRow> {

  /** Transaction IDs and multixacts are 32 bits compared modulo 2^32: the oldest may be 2^31 behind. */
  static final double WRAPAROUND_LIMIT = 2147483648.0;

  static final String SQL = """
      SELECT datname AS database, age(datfrozenxid)::float8 AS xid_age, mxid_age(datminmxid)::float8 AS multixact_age
      FROM pg_database""";

  static final PgQuery<DatabaseAgeRow> QUERY = new PgQuery<>("database_age", SQL, row -> new DatabaseAgeRow(
      row.text("database"), row.number("xid_age"), row.number("multixact_age")));

  record DatabaseAgeRow(String database, Double xidAge, Double multixactAge) {}

  PgDatabaseAgeCollector(PostgresSampler sampler) {
    super(sampler, QUERY, XID_AGE, MULTIXACT_AGE, XID_WRAPAROUND_RATIO);
  }

  @Override
  void addPoints(FamilyPoints points, PostgresTarget target, List<DatabaseAgeRow> rows) {
    Double oldest = null;
    for (DatabaseAgeRow r : rows) {
      if (r.database() == null) {
        continue;
      }
      points.add(XID_AGE, r.xidAge(), target.labelValues(r.database()))
          .add(MULTIXACT_AGE, r.multixactAge(), target.labelValues(r.database()));
      oldest = max(max(oldest, r.xidAge()), r.multixactAge());
    }
    points.add(XID_WRAPAROUND_RATIO, oldest == null ? null : oldest / WRAPAROUND_LIMIT, target.labelValues());
  }

  private static Double max(Double a, Double b) {
    return a == null ? b : b == null ? a : Math.max(a, b);
  }
}
