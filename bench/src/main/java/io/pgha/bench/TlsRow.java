package io.pgha.bench;

/**
 * One exporter scraped on the plain cluster and on the TLS one, in the same rounds: latency and
 * the exporter process's CPU during its own series, per 1,000 scrapes.
 */
public record TlsRow(String name, String watching, LatencyStats plain, LatencyStats tls,
    double plainCpuSecondsPer1000, double tlsCpuSecondsPer1000, LoadAverage load) {

  /** What TLS adds to the median scrape. */
  public double medianCostMs() {
    return tls.medianMs() - plain.medianMs();
  }
}
