package io.pgha.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.LeaseOption;
import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Patroni's leader key per scope, as the {@link LeaderKeyWatcher}s saw it change, plus the leader
 * lease's remaining TTL read at scrape time. Owns the watchers and closes them on shutdown.
 */
public final class DcsLeaderCollector implements ScrapeCollector, AutoCloseable {
  private final List<LeaderKeyWatcher> watchers;
  private final Supplier<Future<Client>> cluster;
  private final long requestMillis;

  DcsLeaderCollector(List<LeaderKeyWatcher> watchers, Supplier<Future<Client>> cluster, long requestMillis) {
    this.watchers = List.copyOf(watchers);
    this.cluster = cluster;
    this.requestMillis = requestMillis;
  }

  @Override
  public String name() {
    return "dcs_leader";
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    List<Future<List<MetricSnapshot>>> perScope = new ArrayList<>();
    for (LeaderKeyWatcher w : watchers) {
      WatchView view = w.view();
      perScope.add(lease(context, view).map(lease -> LeaderKeyMetrics.snapshots(view, lease)));
    }
    return Future.all(perScope).map(all -> {
      List<MetricSnapshot> out = new ArrayList<>();
      perScope.forEach(f -> out.addAll(f.result()));
      return out;
    });
  }

  /** The lease is a detail: when it cannot be read the rest of the scope is still served. */
  private Future<Optional<LeaderKeyMetrics.LeaseTtl>> lease(ScrapeContext context, WatchView view) {
    Optional<LeaderKeyState> state = view.state().filter(s -> s.present() && s.lease() != 0);
    if (state.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    long lease = state.get().lease();
    long timeout = Math.min(context.remainingMillis(), requestMillis);
    return cluster.get()
        .compose(c -> Calls.call(context.vertx().getOrCreateContext(), timeout,
            () -> c.getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT)))
        .map(DcsLeaderCollector::leaseTtl)
        .otherwise(Optional.empty());
  }

  static Optional<LeaderKeyMetrics.LeaseTtl> leaseTtl(LeaseTimeToLiveResponse r) {
    // etcd answers -1 for a lease that expired or never existed.
    return r.getTTL() < 0 ? Optional.empty() : Optional.of(new LeaderKeyMetrics.LeaseTtl(r.getTTL(), r.getGrantedTTL()));
  }

  @Override
  public void close() {
    watchers.forEach(LeaderKeyWatcher::close);
  }
}
