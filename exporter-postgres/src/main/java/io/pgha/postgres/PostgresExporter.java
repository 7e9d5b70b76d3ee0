package io.pgha.postgres;

/** Launcher of exporter-postgres. */
public final class PostgresExporter {
  private PostgresExporter() {}

  public static void main(String[] args) {
    throw new UnsupportedOperationException("exporter-postgres is not written yet");
  }
}
