package io.pgha.etcd;

import io.pgha.common.ConfigNode;
import io.pgha.common.ExporterLauncher;
import io.pgha.common.ScrapeCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.pgha.common.ScrapeContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/** Launcher of exporter-etcd: a thin main over the shared core. */
public final class EtcdExporter {
  public static final String NAME = "etcd";
  public static final int DEFAULT_PORT = 9813;

  private EtcdExporter() {}

  public static void main(String[] args) {
    // jetcd warns about every retry it gives up on; our own log says what failed, once per reason.
    System.setProperty("org.slf4j.simpleLogger.log.io.etcd.jetcd", "error");
    ExporterLauncher.main(NAME, DEFAULT_PORT, args, EtcdExporter::collectors);
  }

  /** The exporter's collectors for a validated {@code etcd} section; the watches start at once. */
  public static List<ScrapeCollector> collectors(Vertx vertx, ConfigNode section) {
    EtcdSettings settings = EtcdSettings.from(section);
    EtcdClients clients = new EtcdClients(vertx, settings);
    SharedProbe probe = new SharedProbe(new EtcdClusterClient(settings, clients)::probe);
    List<LeaderKeyWatcher> watchers = new ArrayList<>();
    for (String scope : settings.scopes()) {
      watchers.add(new LeaderKeyWatcher(vertx, settings, scope, clients::newWatchClient).start());
    }
    return List.of(
        new EtcdMembersCollector(probe, settings.endpoints()),
        new EtcdQuorumCollector(probe),
        new DcsStateCollector(settings, clients::cluster),
        new DcsLeaderCollector(watchers, clients::cluster, settings.requestTimeout().toMillis()),
        new ClientsCloser(clients));
  }

  /** Closes the shared clients on shutdown, after the collectors that use them; adds no metrics. */
  private record ClientsCloser(EtcdClients clients) implements ScrapeCollector, AutoCloseable {
    @Override
    public String name() {
      return "etcd_clients";
    }

    @Override
    public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
      return Future.succeededFuture(List.of());
    }

    @Override
    public void close() {
      clients.close();
    }
  }
}
