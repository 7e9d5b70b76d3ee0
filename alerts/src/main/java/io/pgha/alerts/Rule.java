package io.pgha.alerts;

import java.util.Map;
import java.util.Optional;

/**
 * One rule of a Prometheus rule file: an alerting rule ({@code alert} set) or a recording rule
 * ({@code record} set).
 *
 * @param file the rule file's name, e.g. {@code patroni.yml}
 * @param group the group's name
 * @param alert the alert's name, or null for a recording rule
 * @param record the recorded series' name, or null for an alerting rule
 * @param expr the PromQL expression
 * @param forDuration the {@code for} field as written, or null when absent
 * @param labels the static labels
 * @param annotations the annotations (alerting rules only)
 */
public record Rule(String file, String group, String alert, String record, String expr,
                   String forDuration, Map<String, String> labels, Map<String, String> annotations) {

  public Rule {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  public boolean isAlert() {
    return alert != null;
  }

  /** The alert's or the recorded series' name. */
  public String name() {
    return isAlert() ? alert : record;
  }

  public Optional<String> severity() {
    return Optional.ofNullable(labels.get("severity"));
  }
}
