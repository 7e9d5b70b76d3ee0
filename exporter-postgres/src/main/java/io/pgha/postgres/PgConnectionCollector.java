package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.UP;

import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.List;

/** {@code pgha_postgres_up}: whether each target took a connection and answered this scrape. */
record PgConnectionCollector(PostgresSampler sampler) implements ScrapeCollector {

  @Override
  public String name() {
    return "connection";
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    return sampler.sample(context, null).map(PgConnectionCollector::snapshots);
  }

  static List<MetricSnapshot> snapshots(List<TargetSample> samples) {
    List<GaugeDataPointSnapshot> up = samples.stream()
        .map(s -> UP.point(s.isUp() ? 1 : 0, s.target().labelValues()))
        .toList();
    return List.of(UP.snapshot(up));
  }
}
