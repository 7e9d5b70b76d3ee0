package io.pgha.etcd;

import io.pgha.common.ScrapeContext;
import io.vertx.core.Future;
import java.util.function.Function;

/**
 * Lets the collectors of one scrape share a single probe of the etcd cluster: the engine hands
 * every collector the same {@link ScrapeContext}, so the first one to ask starts the probe and the
 * others join it.
 */
final class SharedProbe {
  private final Function<ScrapeContext, Future<ClusterProbe>> probe;
  private ScrapeContext lastScrape;
  private Future<ClusterProbe> last;

  SharedProbe(Function<ScrapeContext, Future<ClusterProbe>> probe) {
    this.probe = probe;
  }

  synchronized Future<ClusterProbe> get(ScrapeContext scrape) {
    if (scrape != lastScrape) {
      lastScrape = scrape;
      last = probe.apply(scrape);
    }
    return last;
  }
}
