package io.pgha.promkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The samples of a Prometheus text exposition, read leniently: Patroni 3.0.2 writes one line with a
 * space before its labels ({@code patroni_postgres_server_version {scope="pgha"} 150018}), and a line
 * that cannot be read is set aside in {@link #skipped()} rather than failing the whole page (a drill
 * polling every 100 ms must not lose a sample to one odd line; a test asserts {@code skipped()} is
 * empty). Comments and timestamps are passed over. Pure.
 *
 * @param skipped the lines that are neither comments nor readable samples
 */
public record Exposition(List<Sample> samples, List<String> skipped) {

  /** One sample line: the metric name, its labels (sorted by name) and its value. */
  public record Sample(String name, Map<String, String> labels, double value) {

    public Sample {
      labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    /** True when the name is {@code metric} and every wanted label has the wanted value. */
    public boolean matches(String metric, Map<String, String> wanted) {
      return name.equals(metric) && labels.entrySet().containsAll(wanted.entrySet());
    }

    /** True when these labels ({@code name1, value1, name2, value2, ...}) have these values. */
    public boolean has(String... labelPairs) {
      return labels.entrySet().containsAll(pairs(labelPairs).entrySet());
    }
  }

  public Exposition {
    samples = List.copyOf(samples);
    skipped = List.copyOf(skipped);
  }

  public static Exposition parse(String text) {
    List<Sample> samples = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Sample s = parseLine(line);
      if (s == null) {
        skipped.add(line);
      } else {
        samples.add(s);
      }
    }
    return new Exposition(samples, skipped);
  }

  /** The samples of one metric. */
  public List<Sample> named(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  /** The samples of {@code name} whose labels include the given pairs (other labels may exist). */
  public List<Sample> all(String name, String... labelPairs) {
    Map<String, String> wanted = pairs(labelPairs);
    return samples.stream().filter(s -> s.matches(name, wanted)).toList();
  }

  /** The value of the one sample {@link #all} finds; empty when there is none; fails when several match. */
  public OptionalDouble value(String name, String... labelPairs) {
    List<Sample> found = all(name, labelPairs);
    if (found.size() > 1) {
      throw new IllegalStateException(found.size() + " samples of " + name + " match "
          + List.of(labelPairs) + ": " + found);
    }
    return found.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(found.get(0).value());
  }

  /** {@code name1, value1, name2, value2, ...} as a map. */
  public static Map<String, String> pairs(String... labelPairs) {
    if (labelPairs.length % 2 != 0) {
      throw new IllegalArgumentException("label pairs come in twos: " + List.of(labelPairs));
    }
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < labelPairs.length; i += 2) {
      m.put(labelPairs[i], labelPairs[i + 1]);
    }
    return m;
  }

  static Sample parseLine(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (space < 0) {
      return null;
    }
    String name;
    Map<String, String> labels = new TreeMap<>();
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
      return new Sample(name, labels, value(fields[0]));
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
