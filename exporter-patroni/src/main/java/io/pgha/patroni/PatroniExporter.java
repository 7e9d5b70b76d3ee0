package io.pgha.patroni;

import io.pgha.common.ExporterLauncher;
import java.util.List;

/** Launcher of exporter-patroni: a thin main over the shared core. */
public final class PatroniExporter {
  public static final String NAME = "patroni";
  public static final int DEFAULT_PORT = 9811;

  private PatroniExporter() {}

  public static void main(String[] args) {
    ExporterLauncher.main(NAME, DEFAULT_PORT, args, (vertx, section) -> List.of());
  }
}
