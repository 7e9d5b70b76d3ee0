package io.pgha.etcd;

import io.pgha.common.ConfigNode;
import io.pgha.common.ExporterLauncher;
import io.pgha.common.ScrapeCollector;
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
      watchers.add(new LeaderKeyWatcher(vertx, settings, scope, clients::newWatchClient,
          (context, key, timeout) -> clients.first(context, timeout, c -> c.getKVClient().get(key))
              .map(EtcdClients.Answer::value)).start());
    }
    return List.of(
        new EtcdMembersCollector(probe, settings.endpoints()),
        new EtcdQuorumCollector(probe),
        new DcsStateCollector(settings, clients),
        // Last, so it closes the watchers and then the shared clients on shutdown.
        new DcsLeaderCollector(watchers, clients, settings.requestTimeout().toMillis()));
  }
}
