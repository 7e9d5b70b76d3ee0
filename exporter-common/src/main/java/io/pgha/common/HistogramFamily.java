package io.pgha.common;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A declared classic histogram family with fixed buckets; see {@link MetricFamily}. Observations
 * are kept by the caller as an immutable {@link Counts} (the collectors' state is confined, so no
 * client_java {@code Histogram} with its locks is needed), and turned into points here.
 */
public final class HistogramFamily extends MetricFamily {
  private final double[] upperBounds;

  HistogramFamily(String name, String help, double[] upperBounds, String... labelNames) {
    super(name, help, labelNames);
    if (upperBounds.length == 0) {
      throw new IllegalArgumentException(name + ": a histogram needs at least one bucket");
    }
    for (int i = 1; i < upperBounds.length; i++) {
      if (!(upperBounds[i] > upperBounds[i - 1])) {
        throw new IllegalArgumentException(name + ": bucket bounds must increase: " + Arrays.toString(upperBounds));
      }
    }
    double[] bounds = Arrays.copyOf(upperBounds, upperBounds.length + 1);
    bounds[upperBounds.length] = Double.POSITIVE_INFINITY;
    this.upperBounds = bounds;
  }

  @Override
  public Type type() {
    return Type.HISTOGRAM;
  }

  /** The bucket upper bounds, {@code +Inf} last. */
  public List<Double> upperBounds() {
    return Arrays.stream(upperBounds).boxed().toList();
  }

  /** No observation yet: what a series starts from, so it exists before the first one. */
  public Counts empty() {
    return new Counts(new long[upperBounds.length], 0);
  }

  /**
   * Observations of one series: how many fell into each bucket (not cumulative) and their sum.
   * Immutable: {@link #observe} returns a new one.
   */
  public final class Counts {
    private final long[] perBucket;
    private final double sum;

    private Counts(long[] perBucket, double sum) {
      this.perBucket = perBucket;
      this.sum = sum;
    }

    public Counts observe(double value) {
      long[] next = perBucket.clone();
      int i = 0;
      while (value > upperBounds[i]) {
        i++;
      }
      next[i]++;
      return new Counts(next, sum + value);
    }

    public long count() {
      return Arrays.stream(perBucket).sum();
    }

    public double sum() {
      return sum;
    }
  }

  /** One point; {@code labelValues} in the order of the declared label names. */
  public HistogramDataPointSnapshot point(Counts counts, String... labelValues) {
    return new HistogramDataPointSnapshot(ClassicHistogramBuckets.of(upperBounds, counts.perBucket), counts.sum,
        labels(labelValues), Exemplars.EMPTY, 0L);
  }

  public HistogramSnapshot snapshot(Collection<HistogramDataPointSnapshot> points) {
    return new HistogramSnapshot(metadata(), checked(points));
  }
}
