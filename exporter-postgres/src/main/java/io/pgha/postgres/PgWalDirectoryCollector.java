package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.WAL_DIRECTORY_BYTES;
import static io.pgha.postgres.PostgresMetrics.WAL_DIRECTORY_FILES;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    super(sampler, QUERY);
  }

  @Override
  List<MetricSnapshot> snapshots(Map<PostgresTarget, List<WalDirectoryRow>> rowsByTarget) {
    List<GaugeDataPointSnapshot> bytes = new ArrayList<>();
    List<GaugeDataPointSnapshot> files = new ArrayList<>();
    rowsByTarget.forEach((target, rows) -> {
      for (WalDirectoryRow r : rows) {
        add(bytes, WAL_DIRECTORY_BYTES, r.bytes(), target.labelValues());
        add(files, WAL_DIRECTORY_FILES, r.files(), target.labelValues());
      }
    });
    return List.of(WAL_DIRECTORY_BYTES.snapshot(bytes), WAL_DIRECTORY_FILES.snapshot(files));
  }
}
