package io.pgha.dashboards;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Substitutes Grafana template variables in PromQL the way Grafana's Prometheus data source does:
 * {@code $name}, {@code ${name}}, {@code ${name:format}} and {@code [[name]]}; multi-value and All
 * selections become regex alternations, single values of plain variables are inserted as they are.
 */
public final class TemplateVariables {

  /** Grafana's own variable syntax (template_srv), in the same order of alternatives. */
  private static final Pattern VARIABLE = Pattern.compile(
      "\\$(\\w+)|\\[\\[(\\w+?)(?::(\\w+))?]]|\\$\\{(\\w+)(?:\\.([^:^}]+))?(?::([^}]+))?}");

  private static final Pattern REGEX_SPECIAL = Pattern.compile("[$^*+?.()|\\\\{}\\[\\]]");

  /**
   * A variable's current selection.
   *
   * @param regexFormatted whether Grafana escapes it as a regex (multi-value or include-All variables)
   * @param allValue what All stands for; null means the alternation of {@code values}
   */
  public record Value(List<String> values, boolean all, boolean regexFormatted, String allValue) {

    public static Value single(String value) {
      return new Value(List.of(value), false, false, null);
    }

    String format(String format) {
      if (all && allValue != null && (format == null || "regex".equals(format))) {
        return allValue;
      }
      if (format != null) {
        return switch (format) {
          case "raw", "text" -> String.join(",", values);
          case "csv" -> String.join(",", values);
          case "pipe" -> String.join("|", values);
          case "regex" -> alternation();
          default -> String.join(",", values);
        };
      }
      if (!regexFormatted) {
        return String.join(",", values);
      }
      return alternation();
    }

    private String alternation() {
      List<String> escaped = values.stream().map(TemplateVariables::regexEscape).toList();
      return escaped.size() == 1 ? escaped.get(0) : "(" + String.join("|", escaped) + ")";
    }
  }

  /** The result of one substitution: the text and the names nothing was known for. */
  public record Interpolation(String text, Set<String> unresolved) {}

  private final Map<String, Value> values;

  public TemplateVariables(Map<String, Value> values) {
    this.values = new LinkedHashMap<>(values);
  }

  /**
   * Grafana's time-dependent built-ins for a dashboard showing the last {@code rangeSeconds} with a
   * Prometheus scraping every {@code scrapeSeconds} ($__rate_interval is four scrape intervals, as
   * Grafana computes it when the step is small).
   */
  public static Map<String, Value> builtIns(long rangeSeconds, long scrapeSeconds) {
    Map<String, Value> b = new LinkedHashMap<>();
    b.put("__interval", Value.single(scrapeSeconds + "s"));
    b.put("__interval_ms", Value.single(String.valueOf(scrapeSeconds * 1000)));
    b.put("__rate_interval", Value.single(4 * scrapeSeconds + "s"));
    b.put("__range", Value.single(rangeSeconds + "s"));
    b.put("__range_s", Value.single(String.valueOf(rangeSeconds)));
    b.put("__range_ms", Value.single(String.valueOf(rangeSeconds * 1000)));
    return b;
  }

  public TemplateVariables with(String name, Value value) {
    Map<String, Value> copy = new LinkedHashMap<>(values);
    copy.put(name, value);
    return new TemplateVariables(copy);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public Interpolation interpolate(String text) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    Set<String> unresolved = new LinkedHashSet<>();
    while (m.find()) {
      String name = firstNonNull(m.group(1), m.group(2), m.group(4));
      String format = firstNonNull(m.group(3), m.group(6));
      Value value = values.get(name);
      if (value == null) {
        unresolved.add(name);
        m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
      } else {
        m.appendReplacement(out, Matcher.quoteReplacement(value.format(format)));
      }
    }
    m.appendTail(out);
    return new Interpolation(out.toString(), unresolved);
  }

  /** Names referenced in {@code text}, in order of first use. */
  public static List<String> referenced(String text) {
    Matcher m = VARIABLE.matcher(text);
    Set<String> names = new LinkedHashSet<>();
    while (m.find()) {
      names.add(firstNonNull(m.group(1), m.group(2), m.group(4)));
    }
    return new ArrayList<>(names);
  }

  /**
   * Escapes regex metacharacters so a value matches itself inside a PromQL {@code =~"..."} string:
   * the backslash is doubled because the PromQL string literal eats one level.
   */
  static String regexEscape(String value) {
    return REGEX_SPECIAL.matcher(value).replaceAll(r -> Matcher.quoteReplacement("\\\\" + r.group()));
  }

  @Override
  public String toString() {
    return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().values())
        .collect(Collectors.joining(", "));
  }

  private static String firstNonNull(String... candidates) {
    for (String c : candidates) {
      if (c != null) {
        return c;
      }
    }
    return null;
  }
}
