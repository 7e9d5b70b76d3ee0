package io.pgha.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.alerts.LoweredRules;
import io.pgha.alerts.RuleFiles;
import io.pgha.lab.deploy.ConfigFiles;
import io.pgha.testkit.LivePrometheus;
import io.pgha.testkit.Pause;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;

/**
 * Copies of alerting rules of {@code alerts/rules} with a lower threshold or a shorter {@code for},
 * so an integration test sees an alert of a real fault reach the receiver in seconds instead of
 * minutes, without faking any metric. The copies ({@link LoweredRules}, which makes the file's
 * text) go into one rule file in the test cluster's own
 * rule directory ({@link ConfigFiles#localRulesDir}), which its Prometheus loads beside
 * alerts/rules, and are loaded with a reload.
 *
 * <p>A copy keeps its rule's expression (only the given fragments replaced, each of which must
 * occur), labels and annotations, and adds the label {@value #LABEL} with the file's name: its
 * notifications are told apart from the real rule's, which may fire too if the fault lasts.
 * {@link #close()} removes the file and reloads, so the cluster's rules are exactly alerts/rules
 * again (RuleMetricsLiveIT checks that).
 *
 * <pre>{@code
 * try (TestRuleFile rules = TestRuleFile.named("my-test")
 *     .copy("PghaPostgresIdleInTransaction", "10s", ") > 300", ") > 5")
 *     .install(cluster)) { ... }
 * }</pre>
 */
final class TestRuleFile implements AutoCloseable {
  /** The label every copy carries, valued with the file's name. */
  static final String LABEL = LoweredRules.LABEL;

  private static final Path RULES = Path.of(System.getProperty("pgha.home"), "alerts", "rules");
  private static final Duration LOAD_BOUND = Duration.ofSeconds(60);

  private final LoweredRules rules;
  private final Path file;
  private final LivePrometheus prometheus;

  private TestRuleFile(LoweredRules rules, Path file, LivePrometheus prometheus) {
    this.rules = rules;
    this.file = file;
    this.prometheus = prometheus;
  }

  /** A rule file named {@code name} (letters, digits, dashes), its group {@code pgha.test.<name>}. */
  static Builder named(String name) {
    return new Builder(LoweredRules.named(name, RuleFiles.load(RULES)));
  }

  String group() {
    return rules.group();
  }

  /** The rules to copy and how to change them. */
  static final class Builder {
    private final LoweredRules rules;

    private Builder(LoweredRules rules) {
      this.rules = rules;
    }

    /** Copies the one rule named {@code alert}; see {@link #copyOfSeverity}. */
    Builder copy(String alert, String forDuration, String... fromTo) {
      return copyOfSeverity(alert, null, forDuration, fromTo);
    }

    /**
     * Copies the rule named {@code alert} (of this {@code severity} where several share the name)
     * with {@code forDuration}, replacing in its expression each {@code fromTo[i]} by
     * {@code fromTo[i + 1]}.
     */
    Builder copyOfSeverity(String alert, String severity, String forDuration, String... fromTo) {
      rules.lower(alert, severity, forDuration, fromTo);
      return this;
    }

    /** Writes the file, reloads Prometheus and waits until it has evaluated every copy. */
    TestRuleFile install(TestCluster cluster) {
      Path dir = ConfigFiles.localRulesDir(cluster.workdir());
      Path file = dir.resolve(rules.name() + ".yml");
      try {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + rules.name() + ".yml.tmp");
        Files.writeString(tmp, rules.yaml());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
      TestRuleFile installed = new TestRuleFile(rules, file, new LivePrometheus(cluster.topology().prometheus().url()));
      installed.reloadUntil(true, rules.size());
      return installed;
    }
  }

  /** Reloads until Prometheus has evaluated the group's {@code count} rules, or no longer has the group. */
  private void reloadUntil(boolean loaded, int count) {
    prometheus.reload();
    long deadline = System.nanoTime() + LOAD_BOUND.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      Optional<JsonNode> g = findGroup();
      if (!loaded && g.isEmpty()) {
        return;
      }
      if (loaded && g.isPresent()) {
        JsonNode rules = g.get().path("rules");
        boolean evaluated = rules.size() == count;
        for (JsonNode r : rules) {
          if ("err".equals(r.path("health").asText())) {
            throw new IllegalStateException(group() + ": Prometheus fails rule " + r.path("name").asText() + ": "
                + r.path("lastError").asText());
          }
          evaluated &= !r.path("lastEvaluation").asText("").startsWith("0001-");
        }
        if (evaluated) {
          return;
        }
        last = rules.toString();
      }
      Pause.millis(250);
    }
    throw new IllegalStateException("Prometheus did not " + (loaded ? "load and evaluate " : "drop ") + group()
        + " from " + file + " within " + LOAD_BOUND + (last.isEmpty() ? "" : ": " + last));
  }

  private Optional<JsonNode> findGroup() {
    for (JsonNode g : prometheus.ruleGroups()) {
      if (group().equals(g.path("name").asText())) {
        return Optional.of(g);
      }
    }
    return Optional.empty();
  }

  /** Removes the file and waits until Prometheus has dropped the group. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + file, e);
    }
    reloadUntil(false, 0);
  }
}
