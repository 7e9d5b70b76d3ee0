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
        .lower("PghaEtcdDatabaseNearQuota", "critical", "10s", Map.of("* 100 > 95", "* 100 > 0.0001"));
    Path file = Files.writeString(dir.resolve("quota.yml"), lowered.yaml());

    List<Rule> read = RuleFiles.parse(file);
    assertThat(read).hasSize(1);
    Rule original = shipped.stream().filter(r -> "PghaEtcdDatabaseNearQuota".equals(r.alert())
        && r.severity().orElseThrow().equals("critical")).findFirst().orElseThrow();
    Rule copy = read.get(0);
    assertThat(copy.group()).isEqualTo("pgha.lowered.quota");
    assertThat(copy.forDuration()).isEqualTo("10s");
    assertThat(copy.expr()).isEqualTo(original.expr().replace("* 100 > 95", "* 100 > 0.0001"));
    assertThat(copy.annotations()).isEqualTo(original.annotations());
    assertThat(copy.labels()).containsEntry("severity", "critical").containsEntry(LoweredRules.LABEL, "quota");

    PromtoolTest.Result check = PromtoolTest.promtool("check", "rules", List.of(file));
    assertThat(check.exitCode()).as(check.output()).isZero();
  }

  @Test
  void aReplacementMustMatchExactlyOnceAndTheRuleExist() {
    List<Rule> shipped = RuleFiles.load(PromtoolTest.RULES);
    assertThatThrownBy(() -> LoweredRules.named("x", shipped)
        .lower("PghaEtcdDatabaseNearQuota", "critical", "10s", Map.of("> 96", "> 1")))
        .hasMessageContaining("\"> 96\" must occur exactly once");
    assertThatThrownBy(() -> LoweredRules.named("x", shipped)
        .lower("PghaNoSuchAlert", "critical", "10s", Map.of()))
        .hasMessage("0 shipped rules are PghaNoSuchAlert with severity critical");
    assertThatThrownBy(() -> LoweredRules.named("../x", shipped)).hasMessage("not a rule file name: ../x");
  }
}
