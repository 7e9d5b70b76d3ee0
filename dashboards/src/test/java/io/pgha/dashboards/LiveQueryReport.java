package io.pgha.dashboards;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What the live check found: per query accepted or not and how many series, and the metric names. */
public final class LiveQueryReport {

  /**
   * One query as sent.
   *
   * @param sent the expression after substitution (null when it could not be substituted)
   * @param error Prometheus's error, a transport error, or the unresolved variables; null when accepted
   */
  public record Result(PanelQuery query, String sent, boolean accepted, String error, int series) {}

  private final String prometheus;
  private final List<Result> results;
  private final List<VariableResolver.Resolution> variables;
  private final Set<String> metricsUsed;
  private final Set<String> metricsMissing;
  private final String metricNamesError;
  private final boolean requireSeries;

  LiveQueryReport(String prometheus, List<Result> results, List<VariableResolver.Resolution> variables,
      Set<String> metricsUsed, Set<String> metricsMissing, String metricNamesError, boolean requireSeries) {
    this.prometheus = prometheus;
    this.results = List.copyOf(results);
    this.variables = List.copyOf(variables);
    this.metricsUsed = Set.copyOf(metricsUsed);
    this.metricsMissing = Set.copyOf(metricsMissing);
    this.metricNamesError = metricNamesError;
    this.requireSeries = requireSeries;
  }

  public List<Result> results() {
    return results;
  }

  public List<Result> rejected() {
    return results.stream().filter(r -> !r.accepted()).toList();
  }

  /** Panel queries Prometheus accepted but that returned no series (annotations not included). */
  public List<Result> panelsWithoutSeries() {
    return results.stream().filter(r -> r.accepted() && r.series() == 0 && !r.query().isAnnotation()).toList();
  }

  /** Every metric name the dashboards' queries select, sorted. */
  public Set<String> metricsUsed() {
    return new java.util.TreeSet<>(metricsUsed);
  }

  /** Metric names used by the dashboards that Prometheus does not know (empty when it could not be asked). */
  public Set<String> metricsMissing() {
    return new java.util.TreeSet<>(metricsMissing);
  }

  /**
   * Everything that should fail a test: rejected queries, variables without a value, metric names
   * Prometheus lacks (or could not be listed), and, when the check requires series, panel queries
   * that returned none.
   */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    for (VariableResolver.Resolution v : variables) {
      if (v.value() == null) {
        problems.add(v.dashboardUid() + " variable $" + v.name() + ": " + v.how());
      }
    }
    for (Result r : rejected()) {
      problems.add(r.query().where() + ": " + r.error());
    }
    if (requireSeries) {
      for (Result r : panelsWithoutSeries()) {
        problems.add(r.query().where() + ": no series for " + r.sent());
      }
    }
    if (metricNamesError != null) {
      problems.add("metric names: " + metricNamesError);
    }
    for (String m : metricsMissing()) {
      problems.add("metric not in Prometheus: " + m);
    }
    return problems;
  }

  /** A plain-text report, one line per query, for logs and assertion messages. */
  public String render() {
    StringBuilder s = new StringBuilder("Live query check against ").append(prometheus).append('\n');
    for (VariableResolver.Resolution v : variables) {
      s.append(String.format("  var  %-24s $%-14s = %s (%s)%n", v.dashboardUid(), v.name(),
          v.value() == null ? "UNRESOLVED" : String.join("|", v.value()), v.how()));
    }
    for (Result r : results) {
      String status = !r.accepted() ? "ERROR" : r.series() == 0 ? "EMPTY" : "OK";
      s.append(String.format("  %-5s %4s  %s%n", status, r.accepted() ? r.series() : "-", r.query().where()));
      if (!r.accepted()) {
        s.append("               error: ").append(r.error()).append('\n');
      }
      if (!r.accepted() || r.series() == 0) {
        s.append("               query: ").append(r.sent() == null ? r.query().expr() : r.sent()).append('\n');
      }
    }
    long ok = results.stream().filter(r -> r.accepted() && r.series() > 0).count();
    s.append(String.format("  %d queries: %d with series, %d empty, %d rejected%n", results.size(), ok,
        results.stream().filter(r -> r.accepted() && r.series() == 0).count(), rejected().size()));
    s.append("  metrics used (").append(metricsUsed.size()).append("): ")
        .append(String.join(", ", metricsUsed())).append('\n');
    if (metricNamesError != null) {
      s.append("  metric names could not be listed: ").append(metricNamesError).append('\n');
    } else {
      s.append("  metrics missing in Prometheus (").append(metricsMissing.size()).append("): ")
          .append(String.join(", ", metricsMissing())).append('\n');
    }
    List<String> problems = problems();
    s.append(problems.isEmpty() ? "  no problems\n" : "  " + problems.size() + " problem(s)\n");
    return s.toString();
  }
}
