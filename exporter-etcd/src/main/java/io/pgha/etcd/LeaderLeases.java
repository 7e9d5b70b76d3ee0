package io.pgha.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.LeaseOption;
import io.pgha.common.ScrapeContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads the TTL left on each scope's leader lease, for {@link Refreshed} to keep in the background:
 * the first lease through whichever member answers first, the others through that same member (one
 * call per scope, not one per scope and member). A lease that cannot be read is left out.
 */
final class LeaderLeases {
  private final EtcdClients clients;
  private final DcsWatcher watcher;

  LeaderLeases(EtcdClients clients, DcsWatcher watcher) {
    this.clients = clients;
    this.watcher = watcher;
  }

  /** Lease ID to its TTLs, for the leader leases of the view as it is now. */
  Future<Map<Long, LeaderKeyMetrics.LeaseTtl>> read(ScrapeContext scrape) {
    List<Long> leases = new ArrayList<>(new TreeSet<>(watcher.view().scopes().values().stream()
        .map(ScopeState::leader).filter(l -> l.present() && l.lease() != 0).map(LeaderKeyState::lease).toList()));
    if (leases.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Context context = scrape.vertx().getOrCreateContext();
    return clients.first(context, scrape.remainingMillis(),
            c -> c.getLeaseClient().timeToLive(leases.get(0), LeaseOption.DEFAULT))
        .compose(first -> {
          Map<Long, LeaderKeyMetrics.LeaseTtl> out = new HashMap<>();
          ttl(first.value()).ifPresent(t -> out.put(leases.get(0), t));
          List<Future<?>> rest = new ArrayList<>();
          for (Long lease : leases.subList(1, leases.size())) {
            rest.add(read(context, scrape, first.client(), lease).onSuccess(t -> t.ifPresent(v -> out.put(lease, v))));
          }
          return Future.join(rest).transform(ignored -> Future.succeededFuture(Map.copyOf(out)));
        });
  }

  private static Future<Optional<LeaderKeyMetrics.LeaseTtl>> read(Context context, ScrapeContext scrape, Client client,
      long lease) {
    return Calls.call(context, scrape.remainingMillis(), () -> client.getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT))
        .map(LeaderLeases::ttl);
  }

  static Optional<LeaderKeyMetrics.LeaseTtl> ttl(LeaseTimeToLiveResponse r) {
    // etcd answers -1 for a lease that expired or never existed.
    return r.getTTL() < 0 ? Optional.empty() : Optional.of(new LeaderKeyMetrics.LeaseTtl(r.getTTL(), r.getGrantedTTL()));
  }
}
