package io.pgha.common;

import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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

  private final String name;
  private final String help;
  private final String[] labelNames;
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
    return Labels.of(labelNames, values);
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
    if (labels.size() != labelNames.length) {
      return false;
    }
    for (String label : labelNames) {
      if (!labels.contains(label)) {
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
