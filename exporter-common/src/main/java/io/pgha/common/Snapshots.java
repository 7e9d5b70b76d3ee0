package io.pgha.common;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot.StateSetDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers for building and combining client_java snapshots. */
public final class Snapshots {
  private Snapshots() {}

  /** A gauge data point with the given labels (alternating names and values). */
  public static GaugeDataPointSnapshot gaugePoint(double value, String... labels) {
    return GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
  }

  /** A counter data point with the given labels (alternating names and values). */
  public static CounterDataPointSnapshot counterPoint(double value, String... labels) {
    return CounterDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
  }

  public static GaugeSnapshot gauge(String name, String help, Collection<GaugeDataPointSnapshot> points) {
    return new GaugeSnapshot(new MetricMetadata(name, help), points);
  }

  public static GaugeSnapshot gauge(String name, String help, GaugeDataPointSnapshot... points) {
    return gauge(name, help, List.of(points));
  }

  /** {@code name} without {@code _total}; the text formats add it. */
  public static CounterSnapshot counter(String name, String help, Collection<CounterDataPointSnapshot> points) {
    return new CounterSnapshot(new MetricMetadata(name, help), points);
  }

  public static CounterSnapshot counter(String name, String help, CounterDataPointSnapshot... points) {
    return counter(name, help, List.of(points));
  }

  /**
   * One-hot gauge: one series per known state, 1 for the current one. Unknown values must be
   * mapped to a known state (usually {@code other}) by the caller, so the series stay stable.
   */
  public static List<GaugeDataPointSnapshot> oneHot(
      String stateLabel, List<String> states, String current, String... labels) {
    List<GaugeDataPointSnapshot> points = new ArrayList<>(states.size());
    for (String state : states) {
      Labels l = Labels.of(labels).add(stateLabel, state);
      points.add(GaugeDataPointSnapshot.builder().labels(l).value(state.equals(current) ? 1 : 0).build());
    }
    return points;
  }

  /**
   * Merges snapshots that share a name (for example one per scope or per target) into one
   * snapshot each, keeping the first snapshot's metadata and the order of first appearance.
   */
  public static MetricSnapshots merge(Collection<? extends MetricSnapshot> snapshots) {
    Map<String, List<MetricSnapshot>> byName = new LinkedHashMap<>();
    for (MetricSnapshot s : snapshots) {
      byName.computeIfAbsent(s.getMetadata().getPrometheusName(), k -> new ArrayList<>()).add(s);
    }
    List<MetricSnapshot> merged = new ArrayList<>(byName.size());
    for (List<MetricSnapshot> group : byName.values()) {
      merged.add(group.size() == 1 ? group.get(0) : combine(group));
    }
    return new MetricSnapshots(merged);
  }

  @SuppressWarnings("unchecked")
  private static MetricSnapshot combine(List<MetricSnapshot> group) {
    MetricSnapshot first = group.get(0);
    MetricMetadata meta = first.getMetadata();
    List<DataPointSnapshot> points = new ArrayList<>();
    for (MetricSnapshot s : group) {
      if (s.getClass() != first.getClass()) {
        throw new IllegalArgumentException(
            meta.getPrometheusName() + ": cannot merge " + first.getClass().getSimpleName()
                + " with " + s.getClass().getSimpleName());
      }
      points.addAll(s.getDataPoints());
    }
    if (first instanceof GaugeSnapshot) {
      return new GaugeSnapshot(meta, (List<GaugeDataPointSnapshot>) (List<?>) points);
    } else if (first instanceof CounterSnapshot) {
      return new CounterSnapshot(meta, (List<CounterDataPointSnapshot>) (List<?>) points);
    } else if (first instanceof InfoSnapshot) {
      return new InfoSnapshot(meta, (List<InfoDataPointSnapshot>) (List<?>) points);
    } else if (first instanceof StateSetSnapshot) {
      return new StateSetSnapshot(meta, (List<StateSetDataPointSnapshot>) (List<?>) points);
    } else if (first instanceof UnknownSnapshot) {
      return new UnknownSnapshot(meta, (List<UnknownDataPointSnapshot>) (List<?>) points);
    }
    throw new IllegalArgumentException(
        meta.getPrometheusName() + ": merging " + first.getClass().getSimpleName() + " is not supported");
  }
}
