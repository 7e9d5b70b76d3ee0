package io.pgha.postgres;

import io.pgha.common.FamilyPoints;
import io.pgha.common.MetricFamily;
import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A collector fed by one SQL statement run on every reachable target. Unreachable targets are
 * skipped here (they show as {@code pgha_postgres_up 0}); if PostgreSQL refuses the statement on
 * a reachable target, this collector fails with the target and cause, and the others are served.
 *
 * <p>Subclasses turn rows into snapshots with pure code: {@link #snapshots(Map)}.
 */
abstract class SqlCollector<R> implements ScrapeCollector {
  private final PostgresSampler sampler;
  private final PgQuery<R> query;
  private final MetricFamily[] families;

  /** {@code families}: what {@link #addPoints} writes, in the order of the exposition. */
  SqlCollector(PostgresSampler sampler, PgQuery<R> query, MetricFamily... families) {
    this.sampler = sampler;
    this.query = query;
    this.families = families.clone();
  }

  @Override
  public String name() {
    return query.name();
  }

  PostgresSampler sampler() {
    return sampler;
  }

  PgQuery<R> query() {
    return query;
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    return rows(context).map(rows -> nonEmpty(snapshots(rows)));
  }

  /** This collector's rows from every target that answered; fails if PostgreSQL refused the query. */
  Future<Map<PostgresTarget, List<R>>> rows(ScrapeContext context) {
    return sampler.sample(context, query).map(samples -> {
      Map<PostgresTarget, List<R>> rows = new LinkedHashMap<>();
      List<String> failures = new ArrayList<>();
      for (TargetSample sample : samples) {
        if (!sample.isUp()) {
          continue;
        }
        try {
          rows.put(sample.target(), sample.rows(query));
        } catch (QueryFailedException e) {
          failures.add(e.getMessage());
        }
      }
      if (!failures.isEmpty()) {
        throw new QueryFailedException(String.join("; ", failures));
      }
      return rows;
    });
  }

  /** The metrics of all targets that answered, in target order. */
  final List<MetricSnapshot> snapshots(Map<PostgresTarget, List<R>> rowsByTarget) {
    FamilyPoints points = new FamilyPoints(families);
    rowsByTarget.forEach((target, rows) -> addPoints(points, target, rows));
    return points.snapshots();
  }

  /**
   * The points of one target's rows. A NULL from PostgreSQL is an unknown value: {@link FamilyPoints}
   * leaves it out rather than make one up.
   */
  abstract void addPoints(FamilyPoints points, PostgresTarget target, List<R> rows);

  /**
   * Differences taken a moment apart can come out slightly negative: a reply stamped just after
   * the query's now(), replay ahead of streaming during archive recovery. A lag or age below zero
   * means none. NULL stays NULL.
   */
  static Double nonNegative(Double value) {
    return value == null ? null : Math.max(0, value);
  }

  static Double flag(Boolean value) {
    return value == null ? null : value ? 1.0 : 0.0;
  }

  /** Maps values outside a fixed set to {@code other}, so one-hot series stay the same. */
  static String known(List<String> values, String value) {
    return value != null && values.contains(value) ? value : "other";
  }

  static List<MetricSnapshot> nonEmpty(List<MetricSnapshot> snapshots) {
    return snapshots.stream().filter(s -> !s.getDataPoints().isEmpty()).toList();
  }
}
