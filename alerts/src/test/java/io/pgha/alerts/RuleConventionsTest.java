package io.pgha.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every alert is complete (for, severity, summary, description, runbook) and has a runbook. */
class RuleConventionsTest {

  static final Path RUNBOOKS = Path.of("..", "docs", "runbooks");
  static final List<Rule> RULES = RuleFiles.load(PromtoolTest.RULES);
  static final List<Rule> ALERTS = RULES.stream().filter(Rule::isAlert).toList();

  @Test
  void everyAlertHasForSeveritySummaryDescriptionAndRunbook() {
    assertThat(ALERTS).hasSizeGreaterThanOrEqualTo(20);
    for (Rule alert : ALERTS) {
      String name = alert.file() + ": " + alert.alert();
      assertThat(alert.forDuration()).as("%s: for", name).isNotBlank().matches("(\\d+[smhd])+");
      assertThat(alert.severity()).as("%s: labels.severity", name)
          .hasValueSatisfying(s -> assertThat(s).isIn("warning", "critical"));
      assertThat(alert.annotations()).as("%s: annotations", name)
          .containsOnlyKeys("summary", "description", "runbook_url");
      assertThat(alert.annotations().get("summary")).as("%s: summary", name).isNotBlank();
      assertThat(alert.annotations().get("description")).as("%s: description", name)
          .contains("{{ $labels.").contains("$value");
      assertThat(alert.annotations().get("runbook_url")).as("%s: runbook_url", name)
          .isEqualTo("docs/runbooks/" + alert.alert() + ".md");
    }
  }

  @Test
  void namesFollowTheComponentConvention() {
    for (Rule alert : ALERTS) {
      assertThat(alert.alert()).as(alert.file())
          .matches("Pgha(Patroni|Postgres|Etcd|Dcs|Haproxy|Exporter)([A-Z][a-z0-9]*)+");
      assertThat(alert.group()).as(alert.alert()).isEqualTo("pgha." + alert.file().replace(".yml", ""));
    }
    for (Rule record : RULES.stream().filter(r -> !r.isAlert()).toList()) {
      assertThat(record.record()).as(record.file()).matches("pgha:[a-z0-9_:]+");
      assertThat(record.labels()).as(record.record()).isEmpty();
    }
  }

  /** Several rules may share an alert name (warning and critical) but never the same labels. */
  @Test
  void rulesSharingANameDifferInTheirLabels() {
    Map<String, List<Map<String, String>>> byName = ALERTS.stream()
        .collect(Collectors.groupingBy(Rule::alert, Collectors.mapping(Rule::labels, Collectors.toList())));
    byName.forEach((name, labelSets) ->
        assertThat(labelSets).as(name).doesNotHaveDuplicates());
  }

  @Test
  void everyAlertHasARunbookAndEveryRunbookAnAlert() throws IOException {
    Set<String> alerts = ALERTS.stream().map(Rule::alert).collect(Collectors.toCollection(TreeSet::new));
    Set<String> runbooks;
    try (Stream<Path> files = Files.list(RUNBOOKS)) {
      runbooks = files.map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".md") && !f.equals("README.md"))
          .map(f -> f.substring(0, f.length() - 3))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    assertThat(runbooks).as("runbooks in %s", RUNBOOKS).isEqualTo(alerts);
  }

  @Test
  void everyRunbookSaysWhatItMeansHowToConfirmAndWhatToDo() throws IOException {
    for (String alert : ALERTS.stream().map(Rule::alert).distinct().toList()) {
      String text = Files.readString(RUNBOOKS.resolve(alert + ".md"));
      assertThat(text).as(alert)
          .startsWith("# " + alert + "\n")
          .contains("\n## What it means\n", "\n## How to confirm\n", "\n## What to do\n");
    }
  }
}
