package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.alerts.Rule;
import io.pgha.alerts.RuleFiles;
import io.pgha.alerts.RuleMetricNames;
import io.pgha.etcd.EtcdMetrics;
import io.pgha.promkit.PromQlMetricNames;
import io.pgha.testkit.LivePrometheus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No rule silently watches a metric nobody emits: every metric name the rules in alerts/rules read
 * exists in the healthy cluster's Prometheus, every label matcher they filter with selects series,
 * and Prometheus evaluates every rule without error, each recording rule producing series.
 *
 * <p>No exception list: the exporters emit their counters from 0 (leader changes included) and
 * their state gauges in the healthy state, so every name the rules read exists without an event.
 * The two metrics that exist only after a leader change
 * ({@code pgha_dcs_last_leader_change_timestamp_seconds}, {@code pgha_patroni_last_promotion_timestamp_seconds})
 * are read by no rule; {@link DashboardsLiveIT}, whose annotations use them, makes the switchover
 * they need.
 */
@PghaCluster.Test
class RuleMetricsLiveIT {
  private static final Path RULES = Path.of(System.getProperty("pgha.home"), "alerts", "rules");
  /** A few scrapes and rule evaluations: every target was scraped by `up` already. */
  private static final Duration SETTLE = Duration.ofSeconds(90);
  /** {@code name{matchers}} in an expression; a name directly after an identifier char is no selector. */
  private static final Pattern SELECTOR =
      Pattern.compile("(?<![\\w:])([a-zA-Z_:][\\w:]*)\\s*(\\{[^}]*\\})");

  private static List<Rule> rules;
  private static LivePrometheus prometheus;

  @BeforeAll
  static void healthy(TestCluster cluster) {
    cluster.awaitHealthy(Duration.ofSeconds(60));
    rules = RuleFiles.load(RULES);
    prometheus = new LivePrometheus(cluster.topology().prometheus().url());
  }

  @Test
  void everyMetricTheRulesReadExistsInPrometheus() {
    Set<String> used = RuleMetricNames.fromRuleFiles(RULES);
    assertThat(used).as("metric names read by %s", RULES).contains("up", EtcdMetrics.ETCD_QUORUM_AVAILABLE.name());
    Set<String> missing = settle("metric names missing", () -> {
      Set<String> known = prometheus.metricNames();
      Set<String> m = new TreeSet<>(used);
      m.removeAll(known);
      return m;
    });
    System.out.printf("RuleMetricsLiveIT: %d metric names read by the rules, all in Prometheus: %s%n",
        used.size(), used);
    assertThat(missing).as("metrics read by the rules but not in Prometheus %s", prometheus.url()).isEmpty();
  }

  /** Catches a label or label value the exporters do not emit, e.g. {@code stage="replay"}. */
  @Test
  void everyLabelMatcherOfTheRulesSelectsSeries() {
    TreeMap<String, String> selectors = new TreeMap<>();
    for (Rule rule : rules) {
      Set<String> names = PromQlMetricNames.of(rule.expr());
      Matcher m = SELECTOR.matcher(rule.expr());
      while (m.find()) {
        if (names.contains(m.group(1))) {
          selectors.putIfAbsent(m.group(1) + m.group(2), rule.file() + " " + rule.name());
        }
      }
    }
    assertThat(selectors).as("selectors with label matchers in the rules").isNotEmpty();
    Set<String> empty = settle("selectors without series", () -> {
      Set<String> e = new TreeSet<>();
      selectors.forEach((selector, where) -> {
        if (prometheus.series(selector).isEmpty()) {
          e.add(selector + " (" + where + ")");
        }
      });
      return e;
    });
    System.out.printf("RuleMetricsLiveIT: %d selectors with label matchers, each selects series: %s%n",
        selectors.size(), selectors.keySet());
    assertThat(empty).as("selectors of the rules that select nothing in the healthy cluster").isEmpty();
  }

  @Test
  void prometheusEvaluatesEveryRuleWithoutErrorAndEveryRecordingRuleRecords() {
    List<String> expected = rules.stream().map(r -> key(r.group(), r.name(), r.labels())).sorted().toList();
    Set<String> problems = settle("rules not loaded, failing or not yet evaluated", () -> {
      Set<String> p = new TreeSet<>();
      List<String> loaded = new ArrayList<>();
      for (JsonNode group : prometheus.ruleGroups()) {
        for (JsonNode rule : group.path("rules")) {
          String name = rule.path("name").asText();
          TreeMap<String, String> labels = new TreeMap<>();
          rule.path("labels").properties().forEach(l -> labels.put(l.getKey(), l.getValue().asText()));
          loaded.add(key(group.path("name").asText(), name, labels));
          String health = rule.path("health").asText();
          if (!"ok".equals(health)) {
            p.add(group.path("name").asText() + " " + name + ": health " + health + " "
                + rule.path("lastError").asText(""));
          }
        }
      }
      if (!loaded.stream().sorted().toList().equals(expected)) {
        p.add("loaded " + loaded.stream().sorted().toList() + ", expected " + expected);
      }
      return p;
    });
    assertThat(problems).as("rules of %s in Prometheus %s", RULES, prometheus.url()).isEmpty();

    List<String> recorded = rules.stream().filter(r -> !r.isAlert()).map(Rule::record).distinct().toList();
    List<String> empty = new ArrayList<>(settle("recording rules without series", () -> {
      Set<String> e = new TreeSet<>();
      recorded.stream().filter(r -> prometheus.series(r).isEmpty()).forEach(e::add);
      return e;
    }));
    System.out.printf("RuleMetricsLiveIT: %d rules loaded and healthy; %d recording rules, each records series%n",
        expected.size(), recorded.size());
    assertThat(empty).as("recording rules with no series in the healthy cluster").isEmpty();
  }

  /** Several alerts share a name (one per severity): the labels tell them apart. */
  private static String key(String group, String name, java.util.Map<String, String> labels) {
    return group + " " + name + " " + new TreeMap<>(labels);
  }

  /**
   * Polls {@code problems} until it is empty or {@link #SETTLE} has passed, and returns its last
   * value: the scrape after a heal or the first rule evaluation may still be on its way.
   */
  private static Set<String> settle(String what, java.util.function.Supplier<Set<String>> problems) {
    AtomicReference<Set<String>> last = new AtomicReference<>();
    try {
      Awaitility.await(what).atMost(SETTLE).pollInterval(Duration.ofSeconds(1))
          .until(() -> {
            last.set(problems.get());
            return last.get().isEmpty();
          });
    } catch (ConditionTimeoutException e) {
      // reported by the caller's assertion, with the names
    }
    return last.get();
  }
}
