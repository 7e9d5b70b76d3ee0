package io.pgha.common;

import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The points of several families gathered in one pass over a source's records (one row, member or
 * standby feeds several families), then one snapshot per family, in the order the families were
 * given, empty ones included. Not thread-safe: one collection fills it.
 */
public final class FamilyPoints {
  private final Map<MetricFamily, List<DataPointSnapshot>> points = new LinkedHashMap<>();

  public FamilyPoints(MetricFamily... families) {
    for (MetricFamily f : families) {
      points.put(f, new ArrayList<>());
    }
  }

  /** Adds a point unless the value is unknown (null): an unknown value is left out, never made up. */
  public FamilyPoints add(GaugeFamily family, Double value, String... labelValues) {
    if (value != null) {
      of(family).add(family.point(value, labelValues));
    }
    return this;
  }

  /** Adds a point unless the value is unknown (null). */
  public FamilyPoints add(CounterFamily family, Double value, String... labelValues) {
    if (value != null) {
      of(family).add(family.point(value, labelValues));
    }
    return this;
  }

  /** Adds points made by the family, such as {@link GaugeFamily#oneHot}'s. */
  public FamilyPoints addAll(GaugeFamily family, Collection<GaugeDataPointSnapshot> made) {
    of(family).addAll(made);
    return this;
  }

  /** One snapshot per family, in the order given. */
  @SuppressWarnings("unchecked")
  public List<MetricSnapshot> snapshots() {
    List<MetricSnapshot> out = new ArrayList<>(points.size());
    points.forEach((family, list) -> out.add(family instanceof GaugeFamily g
        ? g.snapshot((List<GaugeDataPointSnapshot>) (List<?>) list)
        : ((CounterFamily) family).snapshot((List<CounterDataPointSnapshot>) (List<?>) list)));
    return out;
  }

  private List<DataPointSnapshot> of(MetricFamily family) {
    List<DataPointSnapshot> list = points.get(family);
    if (list == null) {
      throw new IllegalArgumentException(family.name() + " is not one of this collection's families");
    }
    return list;
  }
}
