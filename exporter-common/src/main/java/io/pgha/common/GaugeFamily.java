package io.pgha.common;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** A declared gauge family; see {@link MetricFamily}. */
public final class GaugeFamily extends MetricFamily {

  GaugeFamily(String name, String help, String... labelNames) {
    super(name, help, labelNames);
  }

  @Override
  public Type type() {
    return Type.GAUGE;
  }

  /** One point; {@code labelValues} in the order of the declared label names. */
  public GaugeDataPointSnapshot point(double value, String... labelValues) {
    return new GaugeDataPointSnapshot(value, labels(labelValues), null);
  }

  public GaugeSnapshot snapshot(Collection<GaugeDataPointSnapshot> points) {
    return new GaugeSnapshot(metadata(), checked(points));
  }

  /** A snapshot of one point. */
  public GaugeSnapshot snapshot(double value, String... labelValues) {
    return snapshot(List.of(point(value, labelValues)));
  }

  /**
   * One-hot points: one series per known state, 1 for the current one, so series stay stable
   * through a change. The family's last label is the state; {@code labelValues} are the others.
   * Unknown values must be mapped to a known state (usually {@code other}) by the caller.
   */
  public List<GaugeDataPointSnapshot> oneHot(List<String> states, String current, String... labelValues) {
    List<GaugeDataPointSnapshot> points = new ArrayList<>(states.size());
    String[] values = Arrays.copyOf(labelValues, labelValues.length + 1);
    for (String state : states) {
      values[labelValues.length] = state;
      points.add(point(state.equals(current) ? 1 : 0, values));
    }
    return points;
  }
}
