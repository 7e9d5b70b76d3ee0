package io.pgha.patroni;

import io.pgha.common.ConfigNode;
import io.pgha.common.ExporterLauncher;
import io.pgha.common.ScrapeCollector;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * Launcher of exporter-patroni: a thin main over the shared core. Per watched scope it builds a
 * cluster collector ({@code /cluster}), one collector per member ({@code /patroni}) and a history
 * collector ({@code /history}).
 */
public final class PatroniExporter {
  public static final String NAME = "patroni";
  public static final int DEFAULT_PORT = 9811;

  private PatroniExporter() {}

  public static void main(String[] args) {
    ExporterLauncher.main(NAME, DEFAULT_PORT, args, PatroniExporter::collectors);
  }

  /** The collectors for the {@code patroni:} section; what tests and the launcher both use. */
  public static List<ScrapeCollector> collectors(Vertx vertx, ConfigNode section) {
    PatroniConfig config = PatroniConfig.parse(section);
    List<ScrapeCollector> collectors = new ArrayList<>();
    for (PatroniConfig.Scope scopeConfig : config.scopes()) {
      PatroniClient client = new PatroniClient(vertx, scopeConfig.credentials(), scopeConfig.caFile());
      PatroniScope scope = new PatroniScope(vertx, scopeConfig, client);
      collectors.add(new PatroniClusterCollector(scope));
      collectors.add(new PatroniMemberCollectors(scope));
      collectors.add(new PatroniHistoryCollector(scope));
    }
    return collectors;
  }
}
