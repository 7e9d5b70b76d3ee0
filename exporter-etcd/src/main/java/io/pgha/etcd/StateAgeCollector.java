package io.pgha.etcd;

import static io.pgha.etcd.EtcdMetrics.ETCD_STATE_AGE_SECONDS;

import io.pgha.common.Refreshed;
import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How old each piece of state the exporter serves is: the scrape answers from memory, so this is
 * what tells a current answer from an old one. Never fails; a piece never fetched is absent.
 */
public record StateAgeCollector(Refreshed<?> cluster, DcsWatcher watcher, Refreshed<?> leases) implements ScrapeCollector {

  @Override
  public String name() {
    return "state_age";
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    long now = System.currentTimeMillis();
    return Future.succeededFuture(List.of(snapshot(cluster.latest().map(Refreshed.Reading::ageMillis),
        watcher.view().ageMillis(now), leases.latest().map(Refreshed.Reading::ageMillis))));
  }

  static MetricSnapshot snapshot(Optional<Long> clusterMillis, Optional<Long> dcsMillis, Optional<Long> leasesMillis) {
    List<GaugeDataPointSnapshot> points = new ArrayList<>();
    clusterMillis.ifPresent(a -> points.add(ETCD_STATE_AGE_SECONDS.point(a / 1000.0, "cluster")));
    dcsMillis.ifPresent(a -> points.add(ETCD_STATE_AGE_SECONDS.point(a / 1000.0, "dcs")));
    leasesMillis.ifPresent(a -> points.add(ETCD_STATE_AGE_SECONDS.point(a / 1000.0, "leases")));
    return ETCD_STATE_AGE_SECONDS.snapshot(points);
  }
}
