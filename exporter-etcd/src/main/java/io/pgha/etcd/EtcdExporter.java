package io.pgha.etcd;

import io.pgha.common.ExporterLauncher;
import java.util.List;

/** Launcher of exporter-etcd: a thin main over the shared core. */
public final class EtcdExporter {
  public static final String NAME = "etcd";
  public static final int DEFAULT_PORT = 9813;

  private EtcdExporter() {}

  public static void main(String[] args) {
    ExporterLauncher.main(NAME, DEFAULT_PORT, args, (vertx, section) -> List.of());
  }
}
