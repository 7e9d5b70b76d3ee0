package io.pgha.common;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.List;

/**
 * One source of metrics, collected at scrape time. Named after its source (for example
 * {@code PatroniClusterCollector}); {@link #name()} becomes the {@code collector} label of
 * {@code pgha_<exporter>_collector_success}.
 *
 * <p>Implementations fetch with an async client and convert the fetched records to snapshots with
 * pure code. A failed future (or one that misses the deadline) marks only this collector as failed;
 * the rest of the scrape is served. Where the parts are only known at scrape time (members
 * discovered through a cluster), see {@link ScrapeCollectorGroup}.
 */
public interface ScrapeCollector {

  /**
   * Stable name, unique within an exporter: snake_case, optionally qualified by the target it is
   * about, e.g. {@code cluster:pgha}.
   */
  String name();

  /** Collects once. Must respect {@link ScrapeContext#remainingMillis()} for its own I/O timeouts. */
  Future<List<MetricSnapshot>> collect(ScrapeContext context);
}
