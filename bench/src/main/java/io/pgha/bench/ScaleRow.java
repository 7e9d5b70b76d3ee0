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

  /**
   * Which exporter a site row is. {@link #PATRONI_REQUESTS} is no exporter: the requests of one
   * exporter-patroni scrape of the site, sent at once by the bench (what such a scrape waits for at
   * least); no memory of its own, its CPU the bench's JVM's, which also serves the simulated members.
   */
  public enum Kind { PATRONI, PATRONI_REQUESTS, POSTGRES, ETCD;

    /** Whether the row is one of the exporters (with a page of samples, and the exporters' JVM's memory). */
    public boolean exporter() {
      return this != PATRONI_REQUESTS;
    }
  }
}
