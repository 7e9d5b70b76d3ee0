package io.pgha.bench;

/**
 * How soon one view shows a new leader: milliseconds from the leader key's change in etcd (seen by
 * the bench's own watch) to the first answer naming the new leader, over every leader change.
 */
public record DetectionRow(String metric, String source, String polling, int n, double p50Ms,
    double p95Ms, double maxMs, int misses, boolean pushPath) {}
