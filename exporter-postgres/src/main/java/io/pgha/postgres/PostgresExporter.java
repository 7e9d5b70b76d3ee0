package io.pgha.postgres;

import io.pgha.common.ConfigNode;
import io.pgha.common.ExporterLauncher;
import io.pgha.common.ScrapeCollector;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Launcher of exporter-postgres: a thin main over the shared core. */
public final class PostgresExporter {
  public static final String NAME = "postgres";
  public static final int DEFAULT_PORT = 9812;

  private PostgresExporter() {}

  public static void main(String[] args) {
    ExporterLauncher.main(NAME, DEFAULT_PORT, args, factory(System.getenv()));
  }

  /** Builds the collectors from the {@code postgres} section; {@code env} supplies the password. */
  public static ExporterLauncher.CollectorFactory factory(Map<String, String> env) {
    return (vertx, section) -> collectors(vertx, PostgresConfig.parse(section, env), Path.of("/proc"));
  }

  static List<ScrapeCollector> collectors(Vertx vertx, PostgresConfig config, Path proc) {
    PostgresSampler sampler = new PostgresSampler(vertx, config);
    List<ScrapeCollector> collectors = new ArrayList<>(List.of(
        new PgConnectionCollector(sampler),
        new PgRecoveryCollector(sampler),
        new PgStatReplicationCollector(sampler),
        new PgStatWalReceiverCollector(sampler),
        new PgReplicationSlotsCollector(sampler),
        new PgStatActivityCollector(sampler),
        new PgStatWalCollector(sampler),
        new PgDatabaseCollector(sampler, config.databaseSizeInterval(), System::nanoTime)));
    PostmasterProcessCollector processes = new PostmasterProcessCollector(config.targets(), proc,
        PostmasterProcessCollector.DEFAULT_MEMORY_INTERVAL, System::nanoTime);
    if (processes.hasTargets()) {
      collectors.add(processes);
    }
    return List.copyOf(collectors);
  }
}
