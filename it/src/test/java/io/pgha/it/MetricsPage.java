package io.pgha.it;

import io.pgha.lab.client.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One scrape of a Prometheus text exposition (ours or the peer's), enough to assert on: samples by
 * name and label values. Comments and timestamps are skipped.
 */
record MetricsPage(List<Sample> samples) {

  record Sample(String name, Map<String, String> labels, double value) {
    boolean matches(String... labelPairs) {
      for (int i = 0; i < labelPairs.length; i += 2) {
        if (!labelPairs[i + 1].equals(labels.get(labelPairs[i]))) {
          return false;
        }
      }
      return true;
    }
  }

  private static final Http HTTP = new Http(Duration.ofSeconds(10));

  /** GETs {@code url}; fails when it does not answer 200. */
  static MetricsPage scrape(String url) {
    Http.Response r = HTTP.get(url);
    if (r.status() != 200) {
      throw new AssertionError("GET " + url + " answered " + r.status() + ": " + r.body());
    }
    return parse(r.body());
  }

  static MetricsPage parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        samples.add(parseLine(line));
      }
    }
    return new MetricsPage(List.copyOf(samples));
  }

  /** Samples of {@code name} whose labels include the given name/value pairs. */
  List<Sample> all(String name, String... labelPairs) {
    return samples.stream().filter(s -> s.name().equals(name) && s.matches(labelPairs)).toList();
  }

  /** The value of the one sample matching; empty when none; fails when several match. */
  OptionalDouble value(String name, String... labelPairs) {
    List<Sample> found = all(name, labelPairs);
    if (found.size() > 1) {
      throw new AssertionError(found.size() + " samples of " + name + " match " + List.of(labelPairs) + ": " + found);
    }
    return found.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(found.get(0).value());
  }

  /** Like {@link #value} but the sample must be there. */
  double require(String name, String... labelPairs) {
    return value(name, labelPairs).orElseThrow(
        () -> new AssertionError("no sample " + name + " " + List.of(labelPairs)));
  }

  private static Sample parseLine(String line) {
    int nameEnd = 0;
    while (nameEnd < line.length() && line.charAt(nameEnd) != '{' && !Character.isWhitespace(line.charAt(nameEnd))) {
      nameEnd++;
    }
    String name = line.substring(0, nameEnd);
    String rest = line.substring(nameEnd).strip();
    Map<String, String> labels = new LinkedHashMap<>();
    if (rest.startsWith("{")) {
      int end = parseLabels(rest, labels);
      rest = rest.substring(end + 1).strip();
    }
    return new Sample(name, Map.copyOf(labels), parseValue(rest.split("\\s+")[0]));
  }

  /** Reads {@code {a="x",b="y"}}; returns the index of the closing brace. */
  private static int parseLabels(String line, Map<String, String> labels) {
    int i = 1;
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
      String key = line.substring(i, eq).strip();
      int q = line.indexOf('"', eq) + 1;
      StringBuilder value = new StringBuilder();
      while (line.charAt(q) != '"') {
        char v = line.charAt(q);
        if (v == '\\') {
          char next = line.charAt(++q);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(v);
        }
        q++;
      }
      labels.put(key, value.toString());
      i = q + 1;
    }
    throw new IllegalArgumentException("unterminated labels: " + line);
  }

  private static double parseValue(String value) {
    return switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(value);
    };
  }
}
