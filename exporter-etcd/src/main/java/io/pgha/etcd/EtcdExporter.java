package io.pgha.etcd;

/** Launcher of exporter-etcd. */
public final class EtcdExporter {
  private EtcdExporter() {}

  public static void main(String[] args) {
    throw new UnsupportedOperationException("exporter-etcd is not written yet");
  }
}
