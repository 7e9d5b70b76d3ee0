package io.pgha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pgha.alerts.Rule;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Copies of alerting rules of {@code alerts/rules} with a lower threshold or a shorter {@code for},
 * so an integration test sees an alert of a real fault reach the receiver in seconds instead of
 * minutes, without faking any metric. The copies go into one rule file in the test cluster's own
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
  static final String LABEL = "pgha_test";

  private static final Path RULES = Path.of(System.getProperty("pgha.home"), "alerts", "rules");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Duration LOAD_BOUND = Duration.ofSeconds(60);

  private final String name;
  private final Path file;
  private final LivePrometheus prometheus;

  private TestRuleFile(String name, Path file, LivePrometheus prometheus) {
    this.name = name;
    this.file = file;
    this.prometheus = prometheus;
  }

  /** A rule file named {@code name} (letters, digits, dashes), its group {@code pgha.test.<name>}. */
  static Builder named(String name) {
    if (!name.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("a test rule file name is lower-case letters, digits and dashes: " + name);
    }
    return new Builder(name);
  }

  String group() {
    return group(name);
  }

  private static String group(String name) {
    return "pgha.test." + name;
  }

  /** The rules to copy and how to change them. */
  static final class Builder {
    private final String name;
    private final List<Map<String, Object>> rules = new ArrayList<>();
    private final List<Rule> shipped = RuleFiles.load(RULES);

    private Builder(String name) {
      this.name = name;
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
      if (fromTo.length % 2 != 0) {
        throw new IllegalArgumentException("replacements come in pairs: " + List.of(fromTo));
      }
      List<Rule> matching = shipped.stream().filter(r -> alert.equals(r.alert()))
          .filter(r -> severity == null || r.severity().equals(Optional.of(severity))).toList();
      if (matching.size() != 1) {
        throw new IllegalArgumentException(matching.size() + " rules in " + RULES + " named " + alert
            + (severity == null ? "" : " with severity " + severity) + "; name one");
      }
      Rule rule = matching.get(0);
      String expr = rule.expr();
      for (int i = 0; i < fromTo.length; i += 2) {
        if (!expr.contains(fromTo[i])) {
          throw new IllegalArgumentException(alert + ": its expression has no '" + fromTo[i] + "':\n" + expr);
        }
        expr = expr.replace(fromTo[i], fromTo[i + 1]);
      }
      Map<String, Object> copy = new LinkedHashMap<>();
      copy.put("alert", alert);
      copy.put("expr", expr);
      copy.put("for", forDuration);
      Map<String, String> labels = new LinkedHashMap<>(rule.labels());
      labels.put(LABEL, name);
      copy.put("labels", labels);
      copy.put("annotations", new LinkedHashMap<>(rule.annotations()));
      rules.add(copy);
      return this;
    }

    /** Writes the file, reloads Prometheus and waits until it has evaluated every copy. */
    TestRuleFile install(TestCluster cluster) {
      Path dir = ConfigFiles.localRulesDir(cluster.workdir());
      Path file = dir.resolve(name + ".yml");
      Map<String, Object> group = new LinkedHashMap<>();
      group.put("name", group(name));
      group.put("rules", rules);
      try {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + name + ".yml.tmp");
        YAML.writeValue(tmp.toFile(), Map.of("groups", List.of(group)));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
      TestRuleFile installed = new TestRuleFile(name, file, new LivePrometheus(cluster.topology().prometheus().url()));
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
