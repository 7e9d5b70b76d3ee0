package io.pgha.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads Prometheus rule files ({@code groups: [{name, rules: [...]}]}) into {@link Rule}s. */
public final class RuleFiles {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private RuleFiles() {}

  /** The {@code *.yml} and {@code *.yaml} files of a directory, sorted by name. */
  public static List<Path> list(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml"))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list rule files in " + dir, e);
    }
  }

  /** Every rule of every rule file in {@code dir}, in file order. */
  public static List<Rule> load(Path dir) {
    List<Rule> rules = new ArrayList<>();
    for (Path file : list(dir)) {
      rules.addAll(parse(file));
    }
    return rules;
  }

  /** The rules of one file; a malformed file fails with the path of the offending element. */
  public static List<Rule> parse(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not YAML: " + e.getMessage(), e);
    }
    String name = file.getFileName().toString();
    JsonNode groups = root == null ? null : root.get("groups");
    if (groups == null || !groups.isArray()) {
      throw new IllegalArgumentException(file + ": groups: missing or not a list");
    }
    List<Rule> rules = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      JsonNode group = groups.get(g);
      String groupName = text(group, "name", file + ": groups[" + g + "]");
      JsonNode list = group.get("rules");
      if (list == null || !list.isArray()) {
        throw new IllegalArgumentException(file + ": groups[" + g + "].rules: missing or not a list");
      }
      for (int r = 0; r < list.size(); r++) {
        JsonNode rule = list.get(r);
        String where = file + ": groups[" + g + "].rules[" + r + "]";
        rules.add(new Rule(name, groupName, optText(rule, "alert"), optText(rule, "record"),
            text(rule, "expr", where), optText(rule, "for"), strings(rule.get("labels")),
            strings(rule.get("annotations"))));
      }
    }
    return rules;
  }

  private static String text(JsonNode node, String field, String where) {
    String value = optText(node, field);
    if (value == null) {
      throw new IllegalArgumentException(where + "." + field + ": missing");
    }
    return value;
  }

  private static String optText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> map = new LinkedHashMap<>();
    if (node != null) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        map.put(e.getKey(), e.getValue().asText());
      }
    }
    return map;
  }
}
