package io.pgha.common;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import java.util.Collection;
import java.util.List;

/** A declared counter family, named with its {@code _total}; see {@link MetricFamily}. */
public final class CounterFamily extends MetricFamily {
  private static final String TOTAL = "_total";

  CounterFamily(String name, String help, String... labelNames) {
    super(requireTotal(name), help, labelNames);
  }

  private static String requireTotal(String name) {
    if (!name.endsWith(TOTAL)) {
      throw new IllegalArgumentException("a counter's name ends in _total: " + name);
    }
    return name;
  }

  @Override
  public Type type() {
    return Type.COUNTER;
  }

  @Override
  String metadataName(String exposedName) {
    return exposedName.substring(0, exposedName.length() - TOTAL.length());
  }

  /** One point; {@code labelValues} in the order of the declared label names. */
  public CounterDataPointSnapshot point(double value, String... labelValues) {
    return new CounterDataPointSnapshot(value, labels(labelValues), null, 0L);
  }

  public CounterSnapshot snapshot(Collection<CounterDataPointSnapshot> points) {
    return new CounterSnapshot(metadata(), checked(points));
  }

  /** A snapshot of one point. */
  public CounterSnapshot snapshot(double value, String... labelValues) {
    return snapshot(List.of(point(value, labelValues)));
  }
}
