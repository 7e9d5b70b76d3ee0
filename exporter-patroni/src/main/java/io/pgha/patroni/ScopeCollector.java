package io.pgha.patroni;

import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;

/**
 * One of a scope's collectors, named {@code <kind>:<scope>} (the {@code collector} label), computed
 * from the scope's scrape that all its collectors share (one request per endpoint and member per
 * scrape). Each source's class ({@link PatroniConfigCollector}, ...) gives its kind and what it
 * makes of the scrape.
 */
record ScopeCollector(String kind, PatroniScope scope, Function<PatroniScope.Scrape, Future<List<MetricSnapshot>>> fromScrape)
    implements ScrapeCollector {

  @Override
  public String name() {
    return kind + ":" + scope.name();
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    return fromScrape.apply(scope.scrape(context));
  }
}
