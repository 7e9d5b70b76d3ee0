package io.pgha.etcd;

import io.pgha.common.Refreshed;
import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Patroni's leader key per scope and the leader changes told from the scope's keys, as the
 * {@link DcsWatcher} saw them happen, and the leader lease's TTL kept in the background. Served
 * from memory: a change shows in the first scrape after the watch delivered it, whatever etcd's
 * members are doing. The last state is served even while the watch is down
 * ({@code pgha_dcs_watch_healthy} and {@code pgha_etcd_state_age_seconds{state="dcs"}} say how current).
 */
public record DcsLeaderCollector(List<String> scopes, DcsWatcher watcher,
    Refreshed<Map<Long, LeaderKeyMetrics.LeaseTtl>> leases, long leaseMaxAgeMillis) implements ScrapeCollector {

  public DcsLeaderCollector {
    scopes = List.copyOf(scopes);
  }

  @Override
  public String name() {
    return "dcs_leader";
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    DcsView view = watcher.view();
    // The lease is a detail: an old reading is left out rather than waited for.
    Map<Long, LeaderKeyMetrics.LeaseTtl> ttls = leases.latest().filter(r -> r.ageMillis() <= leaseMaxAgeMillis)
        .map(Refreshed.Reading::value).orElse(Map.of());
    List<MetricSnapshot> out = new ArrayList<>();
    for (String scope : scopes) {
      Optional<LeaderKeyMetrics.LeaseTtl> lease = view.scope(scope).map(ScopeState::leader)
          .filter(LeaderKeyState::present).map(l -> ttls.get(l.lease()));
      out.addAll(LeaderKeyMetrics.snapshots(scope, view, lease));
    }
    return Future.succeededFuture(out);
  }
}
