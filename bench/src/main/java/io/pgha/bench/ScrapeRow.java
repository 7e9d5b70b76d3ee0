package io.pgha.bench;

import java.util.Optional;

/**
 * One scraped endpoint: latency with one scraper and with many, the process's memory after the
 * scrapes, its CPU time per 1,000 scrapes (one scraper), and what each scrape cost PostgreSQL.
 */
public record ScrapeRow(
    String name,
    String scope,
    LatencyStats single,
    LatencyStats concurrent,
    Optional<ProcessFootprint> memory,
    double cpuSecondsPer1000,
    Optional<PostgresCost> postgres,
    int series,
    int bytes,
    LoadAverage load,
    Kind kind) {

  /**
   * Which rows the goals compare. {@link #PATRONI_REQUESTS} is not a metrics endpoint: the requests of
   * one exporter-patroni scrape, sent at once by the bench (what such a scrape waits for at least).
   */
  public enum Kind { PGHA_PATRONI, PGHA_PATRONI_ON_SCRAPE, PGHA_POSTGRES, PGHA_POSTGRES_PRIMARY, PGHA_ETCD,
    POSTGRES_EXPORTER, PATRONI, PATRONI_REQUESTS, ETCD;

    /** Whether the row's answer is a metrics exposition (so its samples are counted). */
    public boolean exposition() {
      return this != PATRONI_REQUESTS;
    }

    /** Whether the row's exporter is the bench's own, logged in to PostgreSQL as {@link BenchRole#NAME}. */
    public boolean benchRole() {
      return this == PGHA_POSTGRES_PRIMARY || this == POSTGRES_EXPORTER;
    }
  }
}
