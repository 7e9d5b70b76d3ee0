package io.pgha.etcd;

import static io.pgha.etcd.EtcdMetrics.DCS_FAILSAFE_MEMBERS;
import static io.pgha.etcd.EtcdMetrics.DCS_FAILSAFE_MODE_ENABLED;
import static io.pgha.etcd.EtcdMetrics.DCS_HISTORY_ENTRIES;
import static io.pgha.etcd.EtcdMetrics.DCS_INITIALIZED;
import static io.pgha.etcd.EtcdMetrics.DCS_MEMBERS;
import static io.pgha.etcd.EtcdMetrics.DCS_SYNCHRONOUS_MODE_ENABLED;
import static io.pgha.etcd.EtcdMetrics.DCS_SYNC_STANDBY;

import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Each scope's keys ({@code members/}, {@code config}, {@code failsafe}, {@code sync},
 * {@code history}) as the namespace watch keeps them ({@link DcsWatcher}), parsed when they change.
 * Served from memory while etcd confirmed the view current within a resync interval and its
 * request; otherwise the scrape asks for a confirmation and waits for it within its deadline, and
 * fails when none comes (without quorum, for one): stale DCS contents are not served as current.
 */
public record DcsStateCollector(List<String> scopes, DcsWatcher watcher) implements ScrapeCollector {

  public DcsStateCollector {
    scopes = List.copyOf(scopes);
  }

  @Override
  public String name() {
    return "dcs_state";
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext scrape) {
    return watcher.confirmed(scrape).map(view -> {
      List<MetricSnapshot> out = new ArrayList<>();
      for (String scope : scopes) {
        view.scope(scope).ifPresent(s -> out.addAll(snapshots(scope, s.dcs())));
      }
      return out;
    });
  }

  static List<MetricSnapshot> snapshots(String scope, DcsState s) {
    List<MetricSnapshot> out = new ArrayList<>();
    out.add(DCS_MEMBERS.snapshot(s.members().size(), scope));
    out.add(DCS_INITIALIZED.snapshot(s.initialized() ? 1 : 0, scope));
    s.failsafeMode().ifPresent(on -> out.add(DCS_FAILSAFE_MODE_ENABLED.snapshot(on ? 1 : 0, scope)));
    s.synchronousMode().ifPresent(on -> out.add(DCS_SYNCHRONOUS_MODE_ENABLED.snapshot(on ? 1 : 0, scope)));
    s.failsafeMembers().ifPresent(n -> out.add(DCS_FAILSAFE_MEMBERS.snapshot(n, scope)));
    s.historyEntries().ifPresent(n -> out.add(DCS_HISTORY_ENTRIES.snapshot(n, scope)));
    TreeSet<String> names = new TreeSet<>(s.members());
    names.addAll(s.syncStandbys());
    List<GaugeDataPointSnapshot> sync = new ArrayList<>();
    for (String member : names) {
      sync.add(DCS_SYNC_STANDBY.point(s.syncStandbys().contains(member) ? 1 : 0, scope, member));
    }
    if (!sync.isEmpty()) {
      out.add(DCS_SYNC_STANDBY.snapshot(sync));
    }
    return out;
  }
}
