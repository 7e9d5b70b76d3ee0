package io.pgha.drills;

import io.pgha.promkit.Exposition;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One poll of a {@code /metrics} endpoint during a drill.
 *
 * @param atMillis when the answer (or the failure) arrived, on the drill's clock
 * @param source {@code exporter-patroni}, {@code exporter-etcd}, {@code exporter-postgres} or
 *     {@code patroni:<member>}
 * @param answered false when the endpoint did not answer 200 in time; then series is empty
 * @param series the series of interest (the poller keeps only the names it was asked for)
 */
public record MetricsSample(long atMillis, String source, boolean answered, List<Exposition.Sample> series) {

  public static final String EXPORTER_PATRONI = "exporter-patroni";
  public static final String EXPORTER_ETCD = "exporter-etcd";
  public static final String EXPORTER_POSTGRES = "exporter-postgres";

  public MetricsSample {
    series = List.copyOf(series);
  }

  public static String patroni(String member) {
    return "patroni:" + member;
  }

  /** The value of the first series of that name with those labels, if present. */
  public OptionalDouble value(String metric, Map<String, String> labels) {
    for (Exposition.Sample s : series) {
      if (s.matches(metric, labels)) {
        return OptionalDouble.of(s.value());
      }
    }
    return OptionalDouble.empty();
  }

  /** The sum of every series of that name carrying those labels (a counter split by a label), if any. */
  public OptionalDouble sum(String metric, Map<String, String> labels) {
    double sum = 0;
    boolean any = false;
    for (Exposition.Sample s : series) {
      if (s.matches(metric, labels)) {
        sum += s.value();
        any = true;
      }
    }
    return any ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }

  public OptionalDouble value(String metric) {
    return value(metric, Map.of());
  }

  /** True when the series is present with exactly this value. */
  public boolean is(String metric, Map<String, String> labels, double expected) {
    OptionalDouble v = value(metric, labels);
    return v.isPresent() && v.getAsDouble() == expected;
  }
}
