package io.pgha.bench;

import java.util.Optional;

/** One exporter against one size of cluster: scrape latency (one scraper), memory, CPU, output. */
public record ScaleRow(
    String exporter,
    String size,
    LatencyStats stats,
    Optional<ProcessFootprint> memory,
    double cpuSecondsPer1000,
    int series,
    int bytes,
    LoadAverage load) {}
