package io.pgha.drills;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the series of a Prometheus text exposition, leniently: Patroni 3.0.2 writes one line with a
 * space before its labels ({@code patroni_postgres_server_version {scope="pgha"} 150018}), and a line
 * that cannot be read is skipped rather than failing the whole sample. Pure.
 */
public final class MetricsText {

  private MetricsText() {
  }

  /** Every series whose name is in {@code names} (all series when {@code names} is empty). */
  public static List<Series> parse(String text, Set<String> names) {
    List<Series> out = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Series s = parseLine(line);
      if (s != null && (names.isEmpty() || names.contains(s.name()))) {
        out.add(s);
      }
    }
    return out;
  }

  static Series parseLine(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (space < 0) {
      return null;
    }
    String name;
    Map<String, String> labels = new LinkedHashMap<>();
    String rest;
    if (brace >= 0 && (brace < space || line.substring(space, brace).isBlank())) {
      name = line.substring(0, brace).strip();
      int close = labels(line, brace + 1, labels);
      if (close < 0) {
        return null;
      }
      rest = line.substring(close + 1).strip();
    } else {
      name = line.substring(0, space);
      rest = line.substring(space + 1).strip();
    }
    String[] fields = rest.split("\\s+");
    if (name.isEmpty() || fields.length == 0) {
      return null;
    }
    try {
      return new Series(name, labels, value(fields[0]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Reads {@code a="x",b="y"}} from {@code from}; returns the index of the closing brace, -1 if malformed. */
  private static int labels(String line, int from, Map<String, String> into) {
    int i = from;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '}') {
        return i;
      }
      if (c == ',' || c == ' ') {
        i++;
        continue;
      }
      int eq = line.indexOf('=', i);
      if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
        return -1;
      }
      String key = line.substring(i, eq).strip();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < line.length(); j++) {
        char v = line.charAt(j);
        if (v == '\\' && j + 1 < line.length()) {
          char n = line.charAt(++j);
          value.append(n == 'n' ? '\n' : n);
        } else if (v == '"') {
          break;
        } else {
          value.append(v);
        }
      }
      if (j >= line.length()) {
        return -1;
      }
      into.put(key, value.toString());
      i = j + 1;
    }
    return -1;
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }
}
