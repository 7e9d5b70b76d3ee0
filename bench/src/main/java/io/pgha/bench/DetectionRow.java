package io.pgha.bench;

/**
 * How soon one view shows a new leader: milliseconds from the leader key's change in etcd (seen by
 * the bench's own watch) to the first answer naming the new leader, over every leader change of
 * one series (the quiet machine, or with the bench's own CPU load beside it).
 */
public record DetectionRow(String metric, String source, String polling, String machine, int n, double p50Ms,
    double p95Ms, double maxMs, int misses, boolean pushPath, boolean loaded) {}
