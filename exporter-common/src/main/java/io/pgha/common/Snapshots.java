package io.pgha.common;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
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

/** Combines client_java snapshots; points are made through the declared families ({@link MetricFamily}). */
public final class Snapshots {
  private Snapshots() {}

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
    } else if (first instanceof HistogramSnapshot) {
      return new HistogramSnapshot(meta, (List<HistogramDataPointSnapshot>) (List<?>) points);
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
