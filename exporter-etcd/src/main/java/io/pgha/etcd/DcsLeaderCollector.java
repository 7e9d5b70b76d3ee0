package io.pgha.etcd;

import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.LeaseOption;
import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Patroni's leader key per scope, as the {@link LeaderKeyWatcher}s saw it change, plus the leader
 * lease's remaining TTL read at scrape time.
 */
public final class DcsLeaderCollector implements ScrapeCollector {
  private final List<LeaderKeyWatcher> watchers;
  private final EtcdClients clients;
  private final long requestMillis;

  DcsLeaderCollector(List<LeaderKeyWatcher> watchers, EtcdClients clients, long requestMillis) {
    this.watchers = List.copyOf(watchers);
    this.clients = clients;
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
      WatchView asked = w.view();
      // Rendered from the view as it is when the lease answers, not when the scrape began: a
      // change that arrived meanwhile is served now rather than one scrape later.
      perScope.add(lease(context, asked).map(lease -> {
        WatchView now = w.view();
        return LeaderKeyMetrics.snapshots(now, sameLease(asked, now) ? lease : Optional.empty());
      }));
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
    return clients.first(context.vertx().getOrCreateContext(), timeout,
            c -> c.getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT))
        .map(answer -> leaseTtl(answer.value()))
        .otherwise(Optional.empty());
  }

  private static boolean sameLease(WatchView a, WatchView b) {
    return a.state().map(LeaderKeyState::lease).equals(b.state().map(LeaderKeyState::lease));
  }

  static Optional<LeaderKeyMetrics.LeaseTtl> leaseTtl(LeaseTimeToLiveResponse r) {
    // etcd answers -1 for a lease that expired or never existed.
    return r.getTTL() < 0 ? Optional.empty() : Optional.of(new LeaderKeyMetrics.LeaseTtl(r.getTTL(), r.getGrantedTTL()));
  }
}
