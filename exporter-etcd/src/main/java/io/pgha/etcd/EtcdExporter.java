package io.pgha.etcd;

import io.pgha.common.CollectorSet;
import io.pgha.common.ExporterCommand;
import io.pgha.common.ExporterSpec;
import io.pgha.common.ScrapeMemo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * exporter-etcd: the etcd cluster (members, quorum) probed once per scrape, Patroni's keys read
 * at scrape time, and a watch per scope on its leader key. Its main runs it alone;
 * {@code io.pgha.exporters.PghaExporters} runs it beside the others.
 */
public final class EtcdExporter {
  public static final String NAME = "etcd";
  public static final int DEFAULT_PORT = 9813;
  /** jetcd warns about every retry it gives up on; the exporter's own log says what failed, once per reason. */
  public static final ExporterSpec<EtcdSettings> SPEC = new ExporterSpec<>(NAME, DEFAULT_PORT,
      (section, env) -> EtcdSettings.from(section), EtcdExporter::collectors, List.of("io.etcd.jetcd"));

  private EtcdExporter() {}

  public static void main(String[] args) {
    ExporterCommand.main(SPEC, args);
  }

  /** The collectors and clients for a validated {@code etcd} section; the watches start at once. */
  static CollectorSet collectors(Vertx vertx, EtcdSettings settings) {
    CollectorSet set = new CollectorSet();
    EtcdClients clients = set.client(new EtcdClients(vertx, settings));
    ScrapeMemo<Future<ClusterProbe>> probe = new ScrapeMemo<>(new EtcdClusterClient(settings, clients)::probe);
    List<LeaderKeyWatcher> watchers = new ArrayList<>();
    for (String scope : settings.scopes()) {
      // Registered after the clients, so closed before them.
      watchers.add(set.client(new LeaderKeyWatcher(vertx, settings, scope, clients::newWatchClient,
          (context, key, timeout) -> clients.first(context, timeout, c -> c.getKVClient().get(key))
              .map(EtcdClients.Answer::value)).start()));
    }
    return set.add(new EtcdMembersCollector(probe, settings.endpoints()))
        .add(new EtcdQuorumCollector(probe))
        .add(new DcsStateCollector(settings, clients))
        .add(new DcsLeaderCollector(watchers, clients, settings.requestTimeout().toMillis()));
  }
}
