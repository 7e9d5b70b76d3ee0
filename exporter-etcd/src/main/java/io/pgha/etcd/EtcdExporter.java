package io.pgha.etcd;

import io.pgha.common.CollectorSet;
import io.pgha.common.ExporterCommand;
import io.pgha.common.ExporterSpec;
import io.pgha.common.Refreshed;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * exporter-etcd: the etcd cluster (members, quorum) probed in the background, and ONE watch on
 * Patroni's namespace keeping every scope's keys and leader changes; a scrape renders what is
 * kept, and says how old it is. Its main runs it alone; {@code io.pgha.exporters.PghaExporters}
 * runs it beside the others.
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

  /** The collectors, clients and pages for a validated {@code etcd} section; the background work starts at once. */
  static CollectorSet collectors(Vertx vertx, EtcdSettings settings) {
    CollectorSet set = new CollectorSet();
    EtcdClients clients = set.client(new EtcdClients(vertx, settings));
    // Registered after the clients, so closed before them. The probe runs the member list, then
    // the members it advertises: two requests deep.
    Duration every = settings.resyncInterval();
    Duration probeTimeout = settings.requestTimeout().multipliedBy(2);
    Duration maxAge = every.plus(probeTimeout);
    Refreshed<ClusterProbe> cluster = set.client(new Refreshed<>(vertx, "the etcd cluster probe", every, maxAge,
        probeTimeout, new EtcdClusterClient(settings, clients)::probe).start());
    DcsWatcher watcher = set.client(new DcsWatcher(vertx, settings, clients::newWatchClient,
        (context, prefix, option, timeout) -> clients.first(context, timeout, c -> c.getKVClient().get(prefix, option))
            .map(EtcdClients.Answer::value)).start());
    Refreshed<Map<Long, LeaderKeyMetrics.LeaseTtl>> leases = set.client(new Refreshed<>(vertx, "the leader leases",
        every, maxAge, probeTimeout, new LeaderLeases(clients, watcher)::read).start());
    return set.add(new EtcdMembersCollector(cluster, settings.endpoints()))
        .add(new EtcdQuorumCollector(cluster))
        .add(new DcsStateCollector(settings.scopes(), watcher))
        .add(new DcsLeaderCollector(settings.scopes(), watcher, leases, maxAge.toMillis()))
        .add(new StateAgeCollector(cluster, watcher, leases))
        .page("/events", new EventsPage(watcher, settings.scopes()));
  }
}
