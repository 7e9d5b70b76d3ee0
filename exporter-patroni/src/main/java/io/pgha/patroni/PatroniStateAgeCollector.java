package io.pgha.patroni;

import static io.pgha.patroni.PatroniMetrics.STATE_AGE_SECONDS;

import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * How old the round of requests is that a scope read in the background ({@code refresh_interval})
 * answers from: what tells a current answer from an old one. Never fails; absent before the first
 * round ended.
 */
record PatroniStateAgeCollector(PatroniScope scope) implements ScrapeCollector {

  @Override
  public String name() {
    return "state_age:" + scope.name();
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    return Future.succeededFuture(List.of(snapshot(scope.name(), scope.stateAgeMillis())));
  }

  /** Pure. */
  static MetricSnapshot snapshot(String scope, Optional<Long> ageMillis) {
    List<GaugeDataPointSnapshot> points = ageMillis.map(a -> List.of(STATE_AGE_SECONDS.point(a / 1000.0, scope)))
        .orElse(List.of());
    return STATE_AGE_SECONDS.snapshot(points);
  }
}
