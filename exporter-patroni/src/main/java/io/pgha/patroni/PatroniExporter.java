package io.pgha.patroni;

/** Launcher of exporter-patroni. */
public final class PatroniExporter {
  private PatroniExporter() {}

  public static void main(String[] args) {
    throw new UnsupportedOperationException("exporter-patroni is not written yet");
  }
}
