package io.pgha.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Checks that what collectors write went through the exporter's declared families. */
public final class DeclaredFamilies {
  private DeclaredFamilies() {}

  /**
   * The exporter's declarations are sound and docs/metrics.md lists them: see
   * {@link #assertWellDeclared} and {@link MetricsDoc#assertDocuments}.
   */
  public static void assertDeclaredAndDocumented(String exporter, Class<?> holder, List<MetricFamily> all) {
    assertWellDeclared(holder, all);
    MetricsDoc.read().assertDocuments(exporter, all);
  }

  /**
   * What the exporter's collectors wrote went through its declared families and used every one
   * of them but the engine's (which the engine writes).
   */
  public static void assertWritesEveryFamily(String exporter, Collection<? extends MetricSnapshot> written,
      List<MetricFamily> all) {
    assertThat(assertEmittedThrough(written, all)).isEqualTo(ownNames(exporter, all));
  }

  /**
   * {@code all} holds every family {@code holder} declares as a public constant (directly, or as
   * its {@link CoreMetrics}) and no other, and no name is declared twice.
   */
  public static void assertWellDeclared(Class<?> holder, List<MetricFamily> all) {
    Set<String> names = new HashSet<>();
    for (MetricFamily f : all) {
      assertThat(names.add(f.name())).as("declared once: %s", f.name()).isTrue();
    }
    Set<MetricFamily> constants = new HashSet<>();
    for (Field field : holder.getFields()) {
      if (!Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      try {
        Object value = field.get(null);
        if (value instanceof MetricFamily family) {
          constants.add(family);
        } else if (value instanceof CoreMetrics core) {
          constants.addAll(core.all());
        }
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      }
    }
    assertThat(new HashSet<>(all)).as("%s.ALL and its constants", holder.getSimpleName()).isEqualTo(constants);
  }

  /**
   * Every snapshot belongs to a declared family (same name, type and help) and every point carries
   * exactly the family's label names. Returns the names of the families seen.
   */
  public static Set<String> assertEmittedThrough(Collection<? extends MetricSnapshot> snapshots, List<MetricFamily> declared) {
    Map<String, MetricFamily> byName = declared.stream()
        .collect(Collectors.toMap(f -> f.metadata().getPrometheusName(), Function.identity()));
    Set<String> seen = new TreeSet<>();
    for (MetricSnapshot s : snapshots) {
      String name = s.getMetadata().getPrometheusName();
      MetricFamily family = byName.get(name);
      assertThat(family).as("%s is declared", name).isNotNull();
      assertThat(s).as("%s is a %s", name, family.type())
          .isInstanceOf(switch (family.type()) {
            case COUNTER -> CounterSnapshot.class;
            case GAUGE -> GaugeSnapshot.class;
            case HISTOGRAM -> HistogramSnapshot.class;
          });
      assertThat(s.getMetadata().getHelp()).as("help of %s", name).isEqualTo(family.help());
      for (DataPointSnapshot p : s.getDataPoints()) {
        assertThat(family.carriesLabelNames(p.getLabels()))
            .as("%s%s carries exactly %s", name, p.getLabels(), family.labelNames()).isTrue();
      }
      seen.add(family.name());
    }
    return seen;
  }

  /** The declared names, minus the engine's: what the exporter's own collectors should write. */
  public static Set<String> ownNames(String exporter, List<MetricFamily> declared) {
    List<String> core = CoreMetrics.of(exporter).all().stream().map(MetricFamily::name).toList();
    return declared.stream().map(MetricFamily::name).filter(n -> !core.contains(n))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
