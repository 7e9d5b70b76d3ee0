package io.pgha.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lowered copies of shipped rules: the same rule but for and the replaced threshold, and promtool takes them. */
class LoweredRulesTest {

  @Test
  void aLoweredCopyKeepsTheShippedRuleButItsForAndThreshold(@TempDir Path dir) throws Exception {
    List<Rule> shipped = RuleFiles.load(PromtoolTest.RULES);
    LoweredRules lowered = LoweredRules.named("quota", shipped)
        .lower("PghaEtcdDatabaseNearQuota", "critical", "10s", "* 100 > 95", "* 100 > 0.0001");
    Path file = Files.writeString(dir.resolve("quota.yml"), lowered.yaml());

    List<Rule> read = RuleFiles.parse(file);
    assertThat(read).hasSize(1);
    Rule original = shipped.stream().filter(r -> "PghaEtcdDatabaseNearQuota".equals(r.alert())
        && r.severity().orElseThrow().equals("critical")).findFirst().orElseThrow();
    Rule copy = read.get(0);
    assertThat(copy.group()).isEqualTo("pgha.test.quota");
    assertThat(copy.forDuration()).isEqualTo("10s");
    assertThat(copy.expr()).isEqualTo(original.expr().replace("* 100 > 95", "* 100 > 0.0001"));
    assertThat(copy.annotations()).isEqualTo(original.annotations());
    assertThat(copy.labels()).containsEntry("severity", "critical").containsEntry(LoweredRules.LABEL, "quota");

    PromtoolTest.Result check = PromtoolTest.promtool("check", "rules", List.of(file));
    assertThat(check.exitCode()).as(check.output()).isZero();
  }

  /** Every shipped alert survives the copy: promtool loads the file, and each copy reads back as its rule. */
  @Test
  void everyShippedAlertCopiesUnchangedButItsFor(@TempDir Path dir) throws Exception {
    List<Rule> shipped = RuleFiles.load(PromtoolTest.RULES);
    // A rule is named by its alert and severity; where two share both, lower() refuses (tested below).
    List<Rule> alerts = shipped.stream().filter(r -> r.alert() != null)
        .filter(r -> shipped.stream().filter(o -> r.alert().equals(o.alert()) && r.severity().equals(o.severity()))
            .count() == 1).toList();
    assertThat(alerts).hasSizeGreaterThan(40);
    LoweredRules all = LoweredRules.named("all", shipped);
    alerts.forEach(r -> all.lower(r.alert(), r.severity().orElse(null), "1s"));
    Path file = Files.writeString(dir.resolve("all.yml"), all.yaml());

    PromtoolTest.Result check = PromtoolTest.promtool("check", "rules", List.of(file));
    assertThat(check.exitCode()).as(check.output()).isZero();
    List<Rule> read = RuleFiles.parse(file);
    assertThat(read).hasSize(alerts.size());
    for (int i = 0; i < alerts.size(); i++) {
      Rule original = alerts.get(i);
      assertThat(read.get(i).expr().strip()).as(original.alert()).isEqualTo(original.expr().strip());
      assertThat(read.get(i).annotations()).as(original.alert()).isEqualTo(original.annotations());
    }
  }

  @Test
  void everyOccurrenceIsReplacedAndTheSeverityMayBeLeftOutWhereOneRuleHasTheName() {
    List<Rule> shipped = List.of(new Rule("a.yml", "g", "A", null, "x > 3 and y > 3", "5m",
        Map.of("severity", "warning"), Map.of("summary", "s")));
    LoweredRules lowered = LoweredRules.named("a-1", shipped).lower("A", null, "1s", "> 3", "> 0");
    assertThat(lowered.size()).isEqualTo(1);
    assertThat(lowered.yaml()).contains("expr: x > 0 and y > 0", "pgha_test: a-1", "name: pgha.test.a-1");
  }

  @Test
  void aReplacementMustOccurAndTheRuleExistOnce() {
    List<Rule> shipped = RuleFiles.load(PromtoolTest.RULES);
    assertThatThrownBy(() -> LoweredRules.named("x", shipped)
        .lower("PghaEtcdDatabaseNearQuota", "critical", "10s", "> 96", "> 1"))
        .hasMessageContaining("PghaEtcdDatabaseNearQuota: its expression has no '> 96'");
    assertThatThrownBy(() -> LoweredRules.named("x", shipped)
        .lower("PghaEtcdDatabaseNearQuota", "critical", "10s", "> 96"))
        .hasMessageStartingWith("replacements come in pairs");
    assertThatThrownBy(() -> LoweredRules.named("x", shipped).lower("PghaEtcdDatabaseNearQuota", null, "10s"))
        .hasMessage("2 shipped rules named PghaEtcdDatabaseNearQuota; name one");
    assertThatThrownBy(() -> LoweredRules.named("x", shipped).lower("PghaPostgresReplicationLagHigh", "warning", "10s"))
        .hasMessage("2 shipped rules named PghaPostgresReplicationLagHigh with severity warning; name one");
    assertThatThrownBy(() -> LoweredRules.named("x", shipped).lower("PghaNoSuchAlert", "critical", "10s"))
        .hasMessage("0 shipped rules named PghaNoSuchAlert with severity critical; name one");
    assertThatThrownBy(() -> LoweredRules.named("../x", shipped))
        .hasMessage("a test rule file name is lower-case letters, digits and dashes: ../x");
  }
}
