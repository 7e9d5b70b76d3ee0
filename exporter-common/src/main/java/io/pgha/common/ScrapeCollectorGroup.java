package io.pgha.common;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * A collector whose parts are only known at scrape time, for example one part per member
 * discovered through a cluster's own API.
 *
 * <p>{@link ScrapeEngine} runs the parts under the scrape's deadline and gives each part its own
 * {@code collector_success} series, so one member answering garbage fails that member only. The
 * group's own series says whether its parts could be determined.
 */
public interface ScrapeCollectorGroup extends ScrapeCollector {

  /**
   * The parts to run in this scrape. Part names must be unique within the exporter: prefix them
   * with the group's name, e.g. {@code member:pgha/pg-1}.
   */
  Future<List<ScrapeCollector>> parts(ScrapeContext context);

  /**
   * Used only where the group is run as a plain collector (outside {@link ScrapeEngine}): all
   * parts, failing if any part fails.
   */
  @Override
  default Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    return parts(context).compose(parts -> {
      List<Future<List<MetricSnapshot>>> results = new ArrayList<>();
      for (ScrapeCollector part : parts) {
        results.add(part.collect(context));
      }
      return Future.all(results).map(all -> {
        List<MetricSnapshot> snapshots = new ArrayList<>();
        for (Future<List<MetricSnapshot>> f : results) {
          snapshots.addAll(f.result());
        }
        return snapshots;
      });
    });
  }
}
