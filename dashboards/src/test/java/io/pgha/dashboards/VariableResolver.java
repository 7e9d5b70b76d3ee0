package io.pgha.dashboards;

import io.pgha.testkit.LivePrometheus;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives each template variable of a dashboard a value as Grafana would on first load: the caller's
 * value when given, otherwise the first option of a {@code label_values(...)} query (after the
 * variable's regex), or All for variables that offer it. Variables are resolved in order, so a
 * query may use the ones before it ({@code member} after {@code scope}).
 */
final class VariableResolver {

  /** How one variable got its value; {@code value} is null when it got none. */
  record Resolution(String dashboardUid, String name, List<String> value, String how) {}

  private static final Pattern LABEL_VALUES_2 = Pattern.compile("^\\s*label_values\\(\\s*(.+)\\s*,\\s*(\\w+)\\s*\\)\\s*$",
      Pattern.DOTALL);
  private static final Pattern LABEL_VALUES_1 = Pattern.compile("^\\s*label_values\\(\\s*(\\w+)\\s*\\)\\s*$");
  private static final Pattern GRAFANA_REGEX = Pattern.compile("^/(.*)/([gimsuy]*)$", Pattern.DOTALL);
  static final String ALL = "$__all";

  private final LivePrometheus api;
  private final Map<String, List<String>> given;

  VariableResolver(LivePrometheus api, Map<String, List<String>> given) {
    this.api = api;
    this.given = given;
  }

  TemplateVariables resolve(JsonNode dashboard, TemplateVariables builtIns, List<Resolution> log) {
    String uid = dashboard.path("uid").asText();
    TemplateVariables vars = builtIns;
    for (JsonNode v : dashboard.path("templating").path("list")) {
      String name = v.path("name").asText();
      String type = v.path("type").asText();
      boolean regexFormatted = v.path("multi").asBoolean() || v.path("includeAll").asBoolean();
      String allValue = v.hasNonNull("allValue") ? v.path("allValue").asText() : null;
      List<String> values;
      String how;
      boolean all = false;
      if (given.containsKey(name)) {
        values = given.get(name);
        all = values.equals(List.of(ALL));
        how = "given";
      } else if ("datasource".equals(type)) {
        values = List.of(v.path("query").asText("prometheus"));
        how = "the checked Prometheus";
      } else if ("query".equals(type)) {
        String query = v.path("query").isObject() ? v.path("query").path("query").asText() : v.path("query").asText();
        TemplateVariables.Interpolation q = vars.interpolate(query);
        if (!q.unresolved().isEmpty()) {
          log.add(new Resolution(uid, name, null, "query uses unresolved " + q.unresolved()));
          continue;
        }
        List<String> options;
        try {
          options = filter(labelValues(q.text()), v.path("regex").asText(""));
        } catch (IllegalArgumentException e) {
          log.add(new Resolution(uid, name, null, e.getMessage()));
          continue;
        }
        if (options.isEmpty()) {
          log.add(new Resolution(uid, name, null, "no value from " + q.text() + regexNote(v)));
          continue;
        }
        if (v.path("includeAll").asBoolean()) {
          values = options;
          all = true;
          how = "All of " + options + " from " + q.text() + regexNote(v);
        } else {
          values = List.of(options.get(0));
          how = "first of " + options + " from " + q.text() + regexNote(v);
        }
      } else {
        String query = v.path("query").asText("");
        values = List.of(query.split(",")[0].strip());
        how = type + " default";
      }
      if (all && allValue == null && values.equals(List.of(ALL))) {
        log.add(new Resolution(uid, name, null, "All given but the variable has no allValue"));
        continue;
      }
      vars = vars.with(name, new TemplateVariables.Value(values, all, regexFormatted, allValue));
      log.add(new Resolution(uid, name, all && allValue != null ? List.of(allValue) : values, how));
    }
    return vars;
  }

  private static String regexNote(JsonNode v) {
    String regex = v.path("regex").asText("");
    return regex.isEmpty() ? "" : " matching " + regex;
  }

  /** Values of {@code label_values(selector, label)} or {@code label_values(label)}, sorted. */
  private List<String> labelValues(String query) {
    String selector;
    String label;
    Matcher two = LABEL_VALUES_2.matcher(query);
    Matcher one = LABEL_VALUES_1.matcher(query);
    if (two.matches()) {
      selector = two.group(1).strip();
      label = two.group(2);
    } else if (one.matches()) {
      label = one.group(1);
      selector = "{" + label + "=~\".+\"}";
    } else {
      throw new IllegalArgumentException("not a label_values() query: " + query);
    }
    LivePrometheus.Answer answer = api.query("count by (" + label + ") (" + selector + ")");
    if (!answer.accepted()) {
      throw new IllegalArgumentException("label_values query failed: " + answer.error());
    }
    TreeSet<String> values = new TreeSet<>();
    for (JsonNode series : answer.series()) {
      String value = series.path("metric").path(label).asText("");
      if (!value.isEmpty()) {
        values.add(value);
      }
    }
    return new ArrayList<>(values);
  }

  /** Grafana's variable regex: keeps values it finds a match in; a capture group picks the text. */
  static List<String> filter(List<String> values, String grafanaRegex) {
    if (grafanaRegex.isEmpty()) {
      return values;
    }
    Matcher parts = GRAFANA_REGEX.matcher(grafanaRegex);
    String body = parts.matches() ? parts.group(1) : grafanaRegex;
    int flags = parts.matches() && parts.group(2).contains("i") ? Pattern.CASE_INSENSITIVE : 0;
    Pattern p = Pattern.compile(body, flags);
    TreeSet<String> kept = new TreeSet<>();
    for (String value : values) {
      Matcher m = p.matcher(value);
      if (m.find()) {
        kept.add(m.groupCount() > 0 && m.group(1) != null ? m.group(1) : value);
      }
    }
    return new ArrayList<>(kept);
  }
}
