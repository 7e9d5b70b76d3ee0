package io.pgha.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every alerting rule has a promtool test where it fires with its labels and annotations, and every
 * alert name has at least two cases where it must stay silent (the healthy case and a near miss).
 */
class PromtoolTestCoverageTest {

  record Case(String file, String alertname, List<JsonNode> expAlerts) {}

  static final List<Case> CASES = new ArrayList<>();
  static final Set<Path> RULE_FILES_UNDER_TEST = new TreeSet<>();

  static {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    for (Path file : RuleFiles.list(PromtoolTest.TESTS)) {
      JsonNode root;
      try {
        root = yaml.readTree(file.toFile());
      } catch (IOException e) {
        throw new IllegalStateException(file + ": not YAML", e);
      }
      root.path("rule_files").forEach(f ->
          RULE_FILES_UNDER_TEST.add(file.getParent().resolve(f.asText()).normalize()));
      for (JsonNode test : root.path("tests")) {
        for (JsonNode c : test.path("alert_rule_test")) {
          List<JsonNode> exp = new ArrayList<>();
          c.path("exp_alerts").forEach(exp::add);
          CASES.add(new Case(file.getFileName().toString(), c.path("alertname").asText(), exp));
        }
      }
    }
  }

  @Test
  void everyRuleFileIsLoadedBySomeTest() {
    for (Path rules : RuleFiles.list(PromtoolTest.RULES)) {
      assertThat(RULE_FILES_UNDER_TEST).as("rule files named by tests/*.yml").contains(rules.normalize());
    }
  }

  @Test
  void everyAlertingRuleFiresInATestWithItsLabelsAndAnnotations() {
    for (Rule alert : RuleConventionsTest.ALERTS) {
      boolean covered = CASES.stream()
          .filter(c -> c.alertname().equals(alert.alert()))
          .flatMap(c -> c.expAlerts().stream())
          .anyMatch(exp -> hasLabels(exp.path("exp_labels"), alert.labels())
              && exp.path("exp_annotations").has("summary")
              && exp.path("exp_annotations").has("description")
              && exp.path("exp_annotations").has("runbook_url"));
      assertThat(covered)
          .as("%s %s: a promtool case where it fires, with exp_labels and full exp_annotations",
              alert.alert(), alert.labels())
          .isTrue();
    }
  }

  @Test
  void everyAlertStaysSilentInAtLeastTwoCases() {
    Map<String, Integer> silent = new HashMap<>();
    CASES.stream().filter(c -> c.expAlerts().isEmpty())
        .forEach(c -> silent.merge(c.alertname(), 1, Integer::sum));
    for (Rule alert : RuleConventionsTest.ALERTS) {
      assertThat(silent.getOrDefault(alert.alert(), 0))
          .as("%s: cases with exp_alerts: [] (healthy, near miss)", alert.alert())
          .isGreaterThanOrEqualTo(2);
    }
  }

  private static boolean hasLabels(JsonNode expLabels, Map<String, String> labels) {
    return labels.entrySet().stream()
        .allMatch(l -> l.getValue().equals(expLabels.path(l.getKey()).asText(null)));
  }
}
