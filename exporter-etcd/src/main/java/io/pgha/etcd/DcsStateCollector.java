package io.pgha.etcd;

import static io.pgha.etcd.EtcdMetrics.DCS_FAILSAFE_MEMBERS;
import static io.pgha.etcd.EtcdMetrics.DCS_FAILSAFE_MODE_ENABLED;
import static io.pgha.etcd.EtcdMetrics.DCS_HISTORY_ENTRIES;
import static io.pgha.etcd.EtcdMetrics.DCS_INITIALIZED;
import static io.pgha.etcd.EtcdMetrics.DCS_MEMBERS;
import static io.pgha.etcd.EtcdMetrics.DCS_SYNCHRONOUS_MODE_ENABLED;
import static io.pgha.etcd.EtcdMetrics.DCS_SYNC_STANDBY;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads each scope's keys ({@code members/}, {@code config}, {@code failsafe}, {@code sync},
 * {@code history}) with one linearizable range read per scope at scrape time, through whichever
 * member answers first. Without quorum the
 * read fails and so does this collector: stale DCS contents are not served as current.
 */
public final class DcsStateCollector implements ScrapeCollector {
  private final EtcdSettings settings;
  private final EtcdClients clients;

  DcsStateCollector(EtcdSettings settings, EtcdClients clients) {
    this.settings = settings;
    this.clients = clients;
  }

  @Override
  public String name() {
    return "dcs_state";
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext scrape) {
    Context context = scrape.vertx().getOrCreateContext();
    long timeout = Math.min(scrape.remainingMillis(), settings.requestTimeout().toMillis());
    List<Future<List<MetricSnapshot>>> perScope = new ArrayList<>();
    for (String scope : settings.scopes()) {
      String prefix = settings.scopePrefix(scope);
      ByteSequence key = ByteSequence.from(prefix, StandardCharsets.UTF_8);
      GetOption range = GetOption.builder().isPrefix(true).build();
      perScope.add(clients.first(context, timeout, c -> c.getKVClient().get(key, range))
          .map(answer -> snapshots(scope, DcsState.parse(relativeKeys(prefix, answer.value()))))
          .recover(e -> Future.failedFuture(
              new IllegalStateException("range read of " + prefix + ": " + EtcdErrors.describe(e)))));
    }
    return Future.all(perScope).map(all -> {
      List<MetricSnapshot> out = new ArrayList<>();
      perScope.forEach(f -> out.addAll(f.result()));
      return out;
    });
  }

  static Map<String, String> relativeKeys(String prefix, GetResponse response) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (KeyValue kv : response.getKvs()) {
      String k = kv.getKey().toString(StandardCharsets.UTF_8);
      if (k.startsWith(prefix)) {
        keys.put(k.substring(prefix.length()), kv.getValue().toString(StandardCharsets.UTF_8));
      }
    }
    return keys;
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
