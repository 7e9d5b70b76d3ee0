package io.pgha.postgres;

import io.pgha.common.CollectorSet;
import io.pgha.common.ExporterCommand;
import io.pgha.common.ExporterSpec;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * exporter-postgres: one collector per source (connection, recovery, pg_stat_replication, ...),
 * all fed by one {@link PostgresSampler} that keeps a connection per target. Its main runs it
 * alone; {@code io.pgha.exporters.PghaExporters} runs it beside the others.
 */
public final class PostgresExporter {
  public static final String NAME = "postgres";
  public static final int DEFAULT_PORT = 9812;
  public static final ExporterSpec<PostgresConfig> SPEC = new ExporterSpec<>(NAME, DEFAULT_PORT, PostgresConfig::parse,
      (vertx, config) -> collectors(vertx, config, Path.of("/proc")));

  private PostgresExporter() {}

  public static void main(String[] args) {
    ExporterCommand.main(SPEC, args);
  }

  static CollectorSet collectors(Vertx vertx, PostgresConfig config, Path proc) {
    PostgresSampler sampler = new PostgresSampler(vertx, config);
    CollectorSet set = new CollectorSet();
    set.client(sampler);
    set.add(new PgConnectionCollector(sampler))
        .add(new PgRecoveryCollector(sampler))
        .add(new PgStatReplicationCollector(sampler))
        .add(new PgStatWalReceiverCollector(sampler))
        .add(new PgReplicationSlotsCollector(sampler))
        .add(new PgStatActivityCollector(sampler))
        .add(new PgStatWalCollector(sampler))
        .add(new PgDatabaseCollector(sampler, config.databaseSizeInterval(), System::nanoTime))
        .add(new PgSettingsCollector(sampler))
        .add(new PgStatArchiverCollector(sampler))
        .add(new PgWalDirectoryCollector(sampler))
        .add(new PgDatabaseAgeCollector(sampler))
        .add(new PgTransactionAgeCollector(sampler))
        .add(new PgStatDatabaseCollector(sampler))
        .add(new PgCheckpointerCollector(sampler));
    PostmasterProcessCollector processes = new PostmasterProcessCollector(config.targets(), proc,
        PostmasterProcessCollector.DEFAULT_MEMORY_INTERVAL, System::nanoTime);
    if (processes.hasTargets()) {
      set.add(processes);
    }
    DataDirectoryFilesystemCollector filesystems = new DataDirectoryFilesystemCollector(config.targets());
    if (filesystems.hasTargets()) {
      set.add(filesystems);
    }
    return set;
  }
}
