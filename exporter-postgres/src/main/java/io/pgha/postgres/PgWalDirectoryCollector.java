package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.WAL_DIRECTORY_BYTES;
import static io.pgha.postgres.PostgresMetrics.WAL_DIRECTORY_FILES;

import io.pgha.common.FamilyPoints;
import java.util.List;

/**
 * What pg_wal holds on each member, from {@code pg_ls_waldir()} (pg_monitor may run it): the
 * server's own view, so it works where the exporter cannot read the data directory.
 */
final class PgWalDirectoryCollector extends SqlCollector<PgWalDirectoryCollector.WalDirectoryRow> {

  static final String SQL = """
      SELECT count(*)::float8 AS files, coalesce(sum(size), 0)::float8 AS bytes
      FROM pg_ls_waldir()""";

  static final PgQuery<WalDirectoryRow> QUERY = new PgQuery<>("wal_directory", SQL, row -> new WalDirectoryRow(
      row.number("files"), row.number("bytes")));

  record WalDirectoryRow(Double files, Double bytes) {}

  PgWalDirectoryCollector(PostgresSampler sampler) {
    super(sampler, QUERY, WAL_DIRECTORY_BYTES, WAL_DIRECTORY_FILES);
  }

  @Override
  void addPoints(FamilyPoints points, PostgresTarget target, List<WalDirectoryRow> rows) {
    for (WalDirectoryRow r : rows) {
      points.add(WAL_DIRECTORY_BYTES, r.bytes(), target.labelValues())
          .add(WAL_DIRECTORY_FILES, r.files(), target.labelValues());
    }
  }
}
