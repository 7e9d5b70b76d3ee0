package io.pgha.bench;

import java.util.Arrays;

/**
 * Latencies of a series of requests, in milliseconds: nearest-rank percentiles (no interpolation,
 * so every figure is one that was measured), errors, and how many per second were served.
 */
public record LatencyStats(int n, int errors, double medianMs, double p95Ms, double p99Ms,
    double maxMs, double perSecond) {

  /** From durations in nanoseconds and the wall time the whole series took. */
  public static LatencyStats of(long[] nanos, int errors, long wallNanos) {
    if (nanos.length == 0) {
      return new LatencyStats(0, errors, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double[] ms = Arrays.stream(nanos).mapToDouble(x -> x / 1e6).sorted().toArray();
    return new LatencyStats(ms.length, errors, percentile(ms, 50), percentile(ms, 95),
        percentile(ms, 99), ms[ms.length - 1], wallNanos <= 0 ? 0 : ms.length / (wallNanos / 1e9));
  }

  /** Nearest-rank percentile of sorted values: the smallest value with at least p % at or below it. */
  public static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
