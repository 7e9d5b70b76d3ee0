package io.pgha.common;

import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One metric family, declared once: name, type, help and label names. Collectors emit points only
 * through their family, so a point with the wrong number of label values fails where it is made
 * (in a unit test), not in Prometheus, and a family always carries the same label names.
 *
 * <p>Each exporter declares its families as public constants in one class ({@code PatroniMetrics},
 * {@code PostgresMetrics}, {@code EtcdMetrics}); docs/metrics.md is checked against them, and
 * dashboards, drills and tests refer to them instead of repeating the names.
 */
public abstract sealed class MetricFamily permits GaugeFamily, CounterFamily, HistogramFamily {

  /** The Prometheus type, as the exposition and docs/metrics.md spell it. */
  public enum Type {
    GAUGE, COUNTER, HISTOGRAM;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Pattern NAME = Pattern.compile("pgha_[a-z0-9_]*[a-z0-9]");
  private static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9_]*");
  /**
   * The label sets made so far, one map per list of label names (in declared order), shared by the
   * families that declare the same names, keyed by the values. Every scrape makes the same series
   * again, so nearly every point finds its labels here. Made anew, a point's labels were sorted and
   * validated by client_java, or merged from kept one-label sets with new arrays at each step: about
   * a tenth of what a scrape of 100 scopes allocated. What is kept grows with the series, not with
   * the scrapes.
   */
  private static final ConcurrentHashMap<List<String>, ConcurrentHashMap<Values, Labels>> LABEL_SETS =
      new ConcurrentHashMap<>();
  /** At most this many label sets kept per list of label names; a list whose values keep changing starts again. */
  static final int LABEL_SETS_KEPT = 16384;

  private final String name;
  private final String help;
  private final String[] labelNames;
  /** This family's map in {@link #LABEL_SETS} (a full map is emptied, never replaced). */
  private final ConcurrentHashMap<Values, Labels> labelSets;
  /** The label names in the order client_java keeps them in a point's labels. */
  private final String[] sortedLabelNames;
  private final MetricMetadata metadata;

  MetricFamily(String name, String help, String... labelNames) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a pgha metric name: " + name);
    }
    if (help == null || help.isBlank()) {
      throw new IllegalArgumentException(name + ": help is required");
    }
    for (String label : labelNames) {
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException(name + ": not a label name: " + label);
      }
    }
    if (new HashSet<>(List.of(labelNames)).size() != labelNames.length) {
      throw new IllegalArgumentException(name + ": label names repeat: " + Arrays.toString(labelNames));
    }
    this.name = name;
    this.help = help;
    this.labelNames = labelNames.clone();
    this.labelSets = LABEL_SETS.computeIfAbsent(List.of(labelNames), l -> new ConcurrentHashMap<>());
    this.sortedLabelNames = labelNames.clone();
    Arrays.sort(sortedLabelNames);
    this.metadata = new MetricMetadata(metadataName(name), help);
  }

  /** A gauge; {@code labelNames} in the order the points' label values are given. */
  public static GaugeFamily gauge(String name, String help, String... labelNames) {
    return new GaugeFamily(name, help, labelNames);
  }

  /** A counter; {@code name} ends in {@code _total}, as it is exposed and queried. */
  public static CounterFamily counter(String name, String help, String... labelNames) {
    return new CounterFamily(name, help, labelNames);
  }

  /**
   * A classic histogram with these bucket upper bounds ({@code +Inf} is added); exposed as
   * {@code _bucket}, {@code _sum} and {@code _count}.
   */
  public static HistogramFamily histogram(String name, String help, double[] upperBounds, String... labelNames) {
    return new HistogramFamily(name, help, upperBounds, labelNames);
  }

  /** The name as exposed and queried (counters end in {@code _total}). */
  public final String name() {
    return name;
  }

  public final String help() {
    return help;
  }

  public final List<String> labelNames() {
    return List.of(labelNames);
  }

  public abstract Type type();

  /** The name client_java's metadata takes: it adds {@code _total} to counters itself. */
  String metadataName(String exposedName) {
    return exposedName;
  }

  final MetricMetadata metadata() {
    return metadata;
  }

  /** The labels of one point, or an error naming the family when the values do not fit. */
  final Labels labels(String... values) {
    if (values.length != labelNames.length) {
      throw new IllegalArgumentException(name + " takes " + labelNames.length + " label value(s) "
          + Arrays.toString(labelNames) + ", got " + values.length + ": " + Arrays.toString(values));
    }
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        throw new IllegalArgumentException(name + ": label " + labelNames[i] + " has no value");
      }
    }
    if (values.length == 0) {
      return Labels.EMPTY;
    }
    Labels made = labelSets.get(new Values(values));
    if (made == null) {
      made = Labels.of(labelNames.clone(), values.clone());
      if (labelSets.size() >= LABEL_SETS_KEPT) {
        labelSets.clear();
      }
      labelSets.put(new Values(values.clone()), made);
    }
    return made;
  }

  /** How many label sets of these label names are kept now (for the unit test). */
  static int labelSetsKept(String... labelNames) {
    ConcurrentHashMap<Values, Labels> sets = LABEL_SETS.get(List.of(labelNames));
    return sets == null ? 0 : sets.size();
  }

  /** Label values as a map key: a kept key holds a copy, a lookup's the caller's array for the lookup only. */
  private record Values(String[] values) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Values v && Arrays.equals(values, v.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return Arrays.toString(values);
    }
  }

  /** Refuses a point made elsewhere: every point of a family carries exactly its label names. */
  final <P extends DataPointSnapshot> List<P> checked(java.util.Collection<P> points) {
    for (P p : points) {
      if (!carriesLabelNames(p.getLabels())) {
        throw new IllegalArgumentException(name + " has labels " + Arrays.toString(labelNames)
            + ", not those of the point " + p.getLabels());
      }
    }
    return List.copyOf(points);
  }

  /** Whether {@code labels} has exactly this family's label names. */
  public final boolean carriesLabelNames(Labels labels) {
    if (labels.size() != sortedLabelNames.length) {
      return false;
    }
    // Labels keeps its names sorted; comparing them in order spares Labels.contains, which escapes
    // every name it is asked about.
    for (int i = 0; i < sortedLabelNames.length; i++) {
      if (!sortedLabelNames[i].equals(labels.getName(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return type() + " " + name + Arrays.toString(labelNames);
  }
}
