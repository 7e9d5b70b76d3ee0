package io.pgha.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The text of a rule file for a live test: copies of shipped alerting rules with a shorter
 * {@code for} and lowered thresholds, so a real fault makes them fire within a test's time.
 * Everything else (the expression around the threshold, labels, annotations) is the shipped rule's,
 * so the test proves the rule, not a stand-in. Each copy carries the label {@value #LABEL} with the
 * file's name, which tells its notifications from the shipped rule's. Pure: the integration tests'
 * {@code TestRuleFile} writes it into the cluster's own rule directory and reloads Prometheus.
 */
public final class LoweredRules {
  /** The label every lowered copy carries, valued with the name of its rule file. */
  public static final String LABEL = "pgha_test";

  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .build());

  private final String name;
  private final List<Rule> shipped;
  private final List<Rule> lowered = new ArrayList<>();

  private LoweredRules(String name, List<Rule> shipped) {
    this.name = name;
    this.shipped = List.copyOf(shipped);
  }

  /** A rule file named {@code name} (lower-case letters, digits, dashes; its group {@code pgha.test.<name>}). */
  public static LoweredRules named(String name, List<Rule> shipped) {
    if (!name.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("a test rule file name is lower-case letters, digits and dashes: " + name);
    }
    return new LoweredRules(name, shipped);
  }

  public String name() {
    return name;
  }

  public String group() {
    return "pgha.test." + name;
  }

  /** How many copies the file holds. */
  public int size() {
    return lowered.size();
  }

  /**
   * Adds a copy of the shipped alert {@code alert} (of this {@code severity} where several rules
   * share the name; null when only one has it), its {@code for} set to {@code forDuration} and in
   * its expression each {@code fromTo[i]}, which must occur, replaced by {@code fromTo[i + 1]}.
   */
  public LoweredRules lower(String alert, String severity, String forDuration, String... fromTo) {
    if (fromTo.length % 2 != 0) {
      throw new IllegalArgumentException("replacements come in pairs: " + List.of(fromTo));
    }
    List<Rule> matching = shipped.stream().filter(r -> alert.equals(r.alert()))
        .filter(r -> severity == null || r.severity().equals(Optional.of(severity))).toList();
    if (matching.size() != 1) {
      throw new IllegalArgumentException(matching.size() + " shipped rules named " + alert
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
    Map<String, String> labels = new LinkedHashMap<>(rule.labels());
    labels.put(LABEL, name);
    lowered.add(new Rule(name + ".yml", group(), alert, null, expr, forDuration, labels, rule.annotations()));
    return this;
  }

  /** The rule file's text. */
  public String yaml() {
    ObjectNode root = YAML.createObjectNode();
    ArrayNode groups = root.putArray("groups");
    ObjectNode group = groups.addObject();
    group.put("name", group());
    ArrayNode rules = group.putArray("rules");
    for (Rule r : lowered) {
      ObjectNode rule = rules.addObject();
      rule.put("alert", r.alert());
      rule.put("expr", r.expr());
      rule.put("for", r.forDuration());
      ObjectNode labels = rule.putObject("labels");
      r.labels().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(l -> labels.put(l.getKey(), l.getValue()));
      ObjectNode annotations = rule.putObject("annotations");
      r.annotations().entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(a -> annotations.put(a.getKey(), a.getValue()));
    }
    try {
      return YAML.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
