package io.pgha.postgres;

import static io.pgha.common.Snapshots.gauge;
import static io.pgha.common.Snapshots.gaugePoint;

import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.List;

/**
 * {@code pgha_postgres_up}: whether each target took a connection and answered this scrape.
 * Owns the sampler's lifecycle: closing it closes the kept connections.
 */
final class PgConnectionCollector implements ScrapeCollector, AutoCloseable {
  static final String UP = "pgha_postgres_up";

  private final PostgresSampler sampler;

  PgConnectionCollector(PostgresSampler sampler) {
    this.sampler = sampler;
  }

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
        .map(s -> gaugePoint(s.isUp() ? 1 : 0, s.target().labels()))
        .toList();
    return List.of(gauge(UP,
        "1 if the exporter is connected to this PostgreSQL member and it answered this scrape in time, 0 if not"
            + " (the reason is logged).", up));
  }

  @Override
  public void close() {
    sampler.close();
  }
}
