package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.DATABASE_SIZE_BYTES;

import io.pgha.common.FamilyPoints;
import io.pgha.common.ScrapeContext;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Size of each database, from {@code pg_database_size()}. That function walks every file of the
 * database (about 0.5 ms per small database here, more as they grow), which alone would exceed
 * the exporter's budget of PostgreSQL time per scrape; sizes change slowly, so they are measured
 * at most once per {@code database_size_interval} and served from the last measurement between.
 */
final class PgDatabaseCollector extends SqlCollector<PgDatabaseCollector.DatabaseRow> {

  static final String SQL = """
      SELECT datname AS database, pg_database_size(oid)::float8 AS size_bytes
      FROM pg_database
      WHERE datallowconn AND NOT datistemplate""";

  static final PgQuery<DatabaseRow> QUERY = new PgQuery<>("database", SQL, row -> new DatabaseRow(
      row.text("database"), row.number("size_bytes")));

  record DatabaseRow(String database, Double sizeBytes) {}

  private final long intervalNanos;
  private final LongSupplier clock;
  private final Map<PostgresTarget, List<DatabaseRow>> lastSizes = new ConcurrentHashMap<>();
  private volatile long lastMeasured;
  private volatile boolean measured;

  PgDatabaseCollector(PostgresSampler sampler, Duration interval, LongSupplier clock) {
    super(sampler, QUERY, DATABASE_SIZE_BYTES);
    this.intervalNanos = interval.toNanos();
    this.clock = clock;
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    long now = clock.getAsLong();
    if (!measured || now - lastMeasured >= intervalNanos) {
      return rows(context).map(rows -> {
        lastSizes.putAll(rows);
        lastMeasured = now;
        measured = true;
        return nonEmpty(snapshots(rows));
      });
    }
    // Between measurements: ride along with the scrape only to learn which targets are up.
    return sampler().sample(context, null).map(samples -> {
      Map<PostgresTarget, List<DatabaseRow>> rows = new LinkedHashMap<>();
      for (TargetSample s : samples) {
        List<DatabaseRow> cached = lastSizes.get(s.target());
        if (s.isUp() && cached != null) {
          rows.put(s.target(), cached);
        }
      }
      return nonEmpty(snapshots(rows));
    });
  }

  @Override
  void addPoints(FamilyPoints points, PostgresTarget target, List<DatabaseRow> rows) {
    for (DatabaseRow r : rows) {
      if (r.database() != null) {
        points.add(DATABASE_SIZE_BYTES, r.sizeBytes(), target.labelValues(r.database()));
      }
    }
  }
}
