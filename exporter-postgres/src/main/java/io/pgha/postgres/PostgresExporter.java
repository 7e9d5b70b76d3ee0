package io.pgha.postgres;

import io.pgha.common.ExporterLauncher;
import java.util.List;

/** Launcher of exporter-postgres: a thin main over the shared core. */
public final class PostgresExporter {
  public static final String NAME = "postgres";
  public static final int DEFAULT_PORT = 9812;

  private PostgresExporter() {}

  public static void main(String[] args) {
    ExporterLauncher.main(NAME, DEFAULT_PORT, args, (vertx, section) -> List.of());
  }
}
