package io.pgha.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code promtool check rules} and {@code promtool test rules} on every rule and test file.
 * promtool comes from Debian's {@code prometheus} package; without it this test fails (never skips).
 */
class PromtoolTest {

  static final Path RULES = Path.of("rules");
  static final Path TESTS = Path.of("tests");

  @Test
  void everyRuleFilePassesPromtoolCheck() throws Exception {
    List<Path> files = RuleFiles.list(RULES);
    Result result = promtoolSucceeds("check", files);
    for (Path file : files) {
      assertThat(result.output()).as("promtool checked %s", file).contains("Checking " + file);
    }
  }

  @Test
  void everyPromtoolUnitTestPasses() throws Exception {
    assertThat(promtoolSucceeds("test", RuleFiles.list(TESTS)).output()).doesNotContain("FAILED");
  }

  /** {@code promtool <action> rules FILES...} on at least one file, exiting 0. */
  private static Result promtoolSucceeds(String action, List<Path> files) throws Exception {
    assertThat(files).isNotEmpty();
    Result result = promtool(action, "rules", files);
    assertThat(result.exitCode()).as("promtool %s rules:%n%s", action, result.output()).isZero();
    return result;
  }

  /** promtool must really fail a wrong expectation, or the tests above prove nothing. */
  @Test
  void promtoolFailsAWrongExpectation(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("wrong_test.yml"), """
        rule_files: [%s]
        evaluation_interval: 15s
        tests:
          - interval: 15s
            input_series:
              - series: 'up{job="haproxy",instance="127.0.0.1:7001"}'
                values: '0x10'
            alert_rule_test:
              - eval_time: 2m
                alertname: PghaHaproxyDown
                exp_alerts: []
        """.formatted(RULES.resolve("haproxy.yml").toAbsolutePath()));
    Result result = promtool("test", "rules", List.of(dir.resolve("wrong_test.yml")));
    assertThat(result.exitCode()).as(result.output()).isNotZero();
    assertThat(result.output()).contains("FAILED").contains("PghaHaproxyDown");
  }

  record Result(int exitCode, String output) {}

  static Result promtool(String command, String what, List<Path> files) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("promtool", command, what));
    files.forEach(f -> cmd.add(f.toString()));
    Process process;
    try {
      process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      return fail("promtool not found (%s): install Debian's prometheus package "
          + "(apt-get install -y prometheus); ./pgha test installs it on a fresh machine", e.getMessage());
    }
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return fail("promtool %s %s did not finish:%n%s", command, what, output);
    }
    System.out.println("$ " + String.join(" ", cmd) + "\n" + output);
    return new Result(process.exitValue(), output);
  }
}
