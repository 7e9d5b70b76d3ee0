package io.pgha.bench;

import java.util.Optional;

/**
 * One exporter against one size of site: scrape latency with one scraper and with many, the
 * memory of its process (at a simulated site, the one JVM of all three exporters), CPU, output.
 */
public record ScaleRow(
    String exporter,
    String size,
    LatencyStats stats,
    Optional<LatencyStats> concurrent,
    Optional<ProcessFootprint> memory,
    double cpuSecondsPer1000,
    int series,
    int bytes,
    LoadAverage load,
    Optional<Site> site) {

  /** The simulated site a row was measured at: its number of scopes, and which exporter the row is. */
  public record Site(int scopes, Kind kind) {}

  public enum Kind { PATRONI, POSTGRES, ETCD }
}
