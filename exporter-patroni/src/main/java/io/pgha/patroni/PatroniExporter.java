package io.pgha.patroni;

import io.pgha.common.CollectorSet;
import io.pgha.common.ExporterCommand;
import io.pgha.common.ExporterSpec;
import io.pgha.common.OnContext;
import io.pgha.common.ScrapeCollector;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;

/**
 * exporter-patroni: per watched scope a cluster collector ({@code /cluster}), one collector per
 * member ({@code /patroni}), a history collector ({@code /history}), a configuration collector
 * ({@code /config}) and the failover-readiness collector (all of them), sharing the scope's client;
 * with {@code refresh_interval} the scope is read in the background and a state-age collector says
 * how old its answers are. Its main runs it alone; {@code io.pgha.exporters.PghaExporters} runs it
 * beside the others.
 */
public final class PatroniExporter {
  public static final String NAME = "patroni";
  public static final int DEFAULT_PORT = 9811;
  public static final ExporterSpec<PatroniConfig> SPEC =
      new ExporterSpec<>(NAME, DEFAULT_PORT, (section, env) -> PatroniConfig.parse(section), PatroniExporter::collectors);

  private PatroniExporter() {}

  public static void main(String[] args) {
    ExporterCommand.main(SPEC, args);
  }

  /** The collectors and clients for a validated {@code patroni:} section. */
  static CollectorSet collectors(Vertx vertx, PatroniConfig config) {
    CollectorSet set = new CollectorSet();
    for (PatroniConfig.Scope scopeConfig : config.scopes()) {
      PatroniClient client = set.client(new PatroniClient(vertx, scopeConfig.credentials(), scopeConfig.tls()));
      // Each scope on an event loop of its own choosing (round robin): its requests, their parsing
      // and its metrics are made there, so the scopes of a large site share the cores. A scope's
      // collectors share its context, which confines the scope's state to one thread. Vert.x's
      // internal API: the public getOrCreateContext() returns the verticle's own context here.
      Context context = ((VertxInternal) vertx).createEventLoopContext();
      // Registered after its client, so closed before it: no background round starts on a closed client.
      PatroniScope scope = set.client(new PatroniScope(vertx, context, scopeConfig, client));
      List<ScrapeCollector> collectors = new ArrayList<>(List.of(PatroniClusterCollector.of(scope),
          new PatroniMemberCollectors(scope), PatroniHistoryCollector.of(scope), PatroniConfigCollector.of(scope),
          PatroniFailoverCollector.of(scope)));
      if (scopeConfig.refreshInterval().isPresent()) {
        collectors.add(new PatroniStateAgeCollector(scope));
      }
      for (ScrapeCollector collector : collectors) {
        set.add(OnContext.wrap(context, collector));
      }
    }
    return set;
  }
}
