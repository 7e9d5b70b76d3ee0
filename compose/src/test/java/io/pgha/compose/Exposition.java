package io.pgha.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The samples of a Prometheus text exposition, enough to assert on what an exporter serves. */
record Exposition(List<Sample> samples) {

  record Sample(String name, Map<String, String> labels, double value) {
    boolean has(String label, String value) {
      return value.equals(labels.get(label));
    }
  }

  static Exposition parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      samples.add(parseLine(line));
    }
    return new Exposition(List.copyOf(samples));
  }

  /** Samples of one metric; a counter may be named with or without its _total suffix. */
  List<Sample> named(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  List<Sample> named(String name, String label, String value) {
    return named(name).stream().filter(s -> s.has(label, value)).toList();
  }

  Optional<Double> single(String name, String label, String value) {
    List<Sample> found = named(name, label, value);
    return found.size() == 1 ? Optional.of(found.get(0).value()) : Optional.empty();
  }

  private static Sample parseLine(String line) {
    int nameEnd = 0;
    while (nameEnd < line.length() && line.charAt(nameEnd) != '{' && !Character.isWhitespace(line.charAt(nameEnd))) {
      nameEnd++;
    }
    String name = line.substring(0, nameEnd);
    String rest = line.substring(nameEnd).strip();
    Map<String, String> labels = new LinkedHashMap<>();
    // Patroni 3.0.2 writes one metric with a space before its labels: accept it.
    if (rest.startsWith("{")) {
      int end = parseLabels(rest, 1, labels);
      rest = rest.substring(end + 1).strip();
    }
    String value = rest.split("\\s+")[0];
    return new Sample(name, Map.copyOf(labels), parseValue(value));
  }

  /** Reads {@code a="x",b="y"} from {@code from}; returns the index of the closing brace. */
  private static int parseLabels(String line, int from, Map<String, String> labels) {
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
