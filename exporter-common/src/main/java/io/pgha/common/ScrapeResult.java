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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one scrape collected: its families in name order, each kept as the snapshots its collectors
 * made (one per scope, target or collector), in the order they were collected.
 *
 * <p>The parts are not merged into one client_java snapshot per family: that sorts every family's
 * points again (15,700 at a site of a hundred scopes), and Prometheus does not need them sorted.
 * {@link PageWriter} writes the parts one after another; {@link #snapshots()} merges them for
 * client_java's writers (the formats pgha does not write itself) and for tests.
 *
 * <p>A series two parts both carry (the same family and labels) is kept once, the first part's,
 * and named in {@link #duplicates()}; within one part client_java refuses it when the part is made.
 */
public final class ScrapeResult {
  private final List<Family> families;
  private final List<String> duplicates;
  private MetricSnapshots merged;

  /** One family: the first part gives the metadata and type; every part has the same type. */
  public record Family(MetricSnapshot first, List<MetricSnapshot> parts) {
    public MetricMetadata metadata() {
      return first.getMetadata();
    }

    /** How many points the parts have together. */
    public int points() {
      int n = 0;
      for (MetricSnapshot part : parts) {
        n += part.getDataPoints().size();
      }
      return n;
    }
  }

  private ScrapeResult(List<Family> families, List<String> duplicates) {
    this.families = families;
    this.duplicates = duplicates;
  }

  /**
   * Groups the snapshots by name. Fails when two snapshots of one name have different types (two
   * families declared with clashing names: a programming error the unit tests catch).
   */
  public static ScrapeResult of(Collection<? extends MetricSnapshot> snapshots) {
    Map<String, List<MetricSnapshot>> byName = new TreeMap<>();
    for (MetricSnapshot s : snapshots) {
      byName.computeIfAbsent(s.getMetadata().getPrometheusName(), k -> new ArrayList<>(4)).add(s);
    }
    List<Family> families = new ArrayList<>(byName.size());
    List<String> duplicates = new ArrayList<>(0);
    for (List<MetricSnapshot> parts : byName.values()) {
      MetricSnapshot first = parts.get(0);
      for (MetricSnapshot part : parts) {
        if (part.getClass() != first.getClass()) {
          throw new IllegalArgumentException(first.getMetadata().getPrometheusName() + ": cannot merge "
              + first.getClass().getSimpleName() + " with " + part.getClass().getSimpleName());
        }
      }
      families.add(parts.size() == 1 ? new Family(first, List.of(first)) : withoutDuplicates(parts, duplicates));
    }
    return new ScrapeResult(List.copyOf(families), List.copyOf(duplicates));
  }

  /** The families in name order (the order client_java's writers use). */
  public List<Family> families() {
    return families;
  }

  /** The series left out because an earlier part of the family already had them, as name{labels}. */
  public List<String> duplicates() {
    return duplicates;
  }

  /** One client_java snapshot per family (its points sorted, as client_java keeps them). */
  public synchronized MetricSnapshots snapshots() {
    if (merged == null) {
      List<MetricSnapshot> list = new ArrayList<>(families.size());
      for (Family f : families) {
        list.add(f.parts().size() == 1 ? f.first() : combine(f.first(), f.parts()));
      }
      merged = new MetricSnapshots(list);
    }
    return merged;
  }

  private static Family withoutDuplicates(List<MetricSnapshot> parts, List<String> duplicates) {
    MetricSnapshot first = parts.get(0);
    if (apart(parts)) {
      return new Family(first, List.copyOf(parts));
    }
    Set<Labels> seen = new HashSet<>();
    List<DataPointSnapshot> kept = new ArrayList<>();
    int before = duplicates.size();
    for (MetricSnapshot part : parts) {
      for (DataPointSnapshot p : part.getDataPoints()) {
        if (seen.add(p.getLabels())) {
          kept.add(p);
        } else {
          duplicates.add(first.getMetadata().getPrometheusName() + p.getLabels());
        }
      }
    }
    if (duplicates.size() == before) {
      return new Family(first, List.copyOf(parts));
    }
    MetricSnapshot one = snapshot(first, kept);
    return new Family(one, List.of(one));
  }

  /**
   * Whether the parts cannot share a series because some label has one value throughout each part
   * and a different one in each (the scope of exporter-patroni's, the target of exporter-postgres's):
   * a comparison per point, where looking every point up in a set of the family's labels took as long
   * as client_java's sort.
   */
  static boolean apart(List<MetricSnapshot> parts) {
    Labels sample = null;
    for (MetricSnapshot part : parts) {
      if (!part.getDataPoints().isEmpty()) {
        sample = part.getDataPoints().get(0).getLabels();
        break;
      }
    }
    if (sample == null) {
      return true;
    }
    label:
    for (int i = 0; i < sample.size(); i++) {
      String name = sample.getName(i);
      Set<String> partValues = new HashSet<>();
      for (MetricSnapshot part : parts) {
        String value = null;
        for (DataPointSnapshot p : part.getDataPoints()) {
          Labels labels = p.getLabels();
          if (labels.size() <= i || !name.equals(labels.getName(i))
              || value != null && !value.equals(labels.getValue(i))) {
            continue label;
          }
          value = labels.getValue(i);
        }
        if (value != null && !partValues.add(value)) {
          continue label;
        }
      }
      return true;
    }
    return false;
  }

  private static MetricSnapshot combine(MetricSnapshot first, List<MetricSnapshot> parts) {
    List<DataPointSnapshot> points = new ArrayList<>();
    for (MetricSnapshot s : parts) {
      points.addAll(s.getDataPoints());
    }
    return snapshot(first, points);
  }

  /** A snapshot of {@code first}'s type and metadata with these points. */
  @SuppressWarnings("unchecked")
  private static MetricSnapshot snapshot(MetricSnapshot first, List<DataPointSnapshot> points) {
    MetricMetadata meta = first.getMetadata();
    if (first instanceof GaugeSnapshot) {
      return new GaugeSnapshot(meta, (List<GaugeDataPointSnapshot>) (List<?>) points);
    } else if (first instanceof CounterSnapshot) {
      return new CounterSnapshot(meta, (List<CounterDataPointSnapshot>) (List<?>) points);
    } else if (first instanceof HistogramSnapshot h) {
      return new HistogramSnapshot(h.isGaugeHistogram(), meta, (List<HistogramDataPointSnapshot>) (List<?>) points);
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
