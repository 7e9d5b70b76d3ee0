package io.pgha.alerts;

import io.pgha.promkit.PromQlMetricNames;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names that rule files read, so a test can check that something emits each of them.
 * The names come from promkit's {@link PromQlMetricNames}, which the dashboards' check uses too.
 */
public final class RuleMetricNames {

  private RuleMetricNames() {}

  /**
   * The metric names read by the rules of every rule file in {@code dir}: those in the expressions
   * and in the annotations' template queries, less the series the rules themselves record.
   */
  public static Set<String> fromRuleFiles(Path dir) {
    return of(RuleFiles.load(dir));
  }

  /** The metric names read by {@code rules}, less the series they record themselves. */
  public static Set<String> of(Collection<Rule> rules) {
    Set<String> names = new TreeSet<>();
    Set<String> recorded = new TreeSet<>();
    for (Rule rule : rules) {
      names.addAll(PromQlMetricNames.of(rule.expr()));
      rule.annotations().values().forEach(text -> names.addAll(PromQlMetricNames.inTemplate(text)));
      if (!rule.isAlert()) {
        recorded.add(rule.record());
      }
    }
    names.removeAll(recorded);
    return names;
  }
}
