package io.pgha.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of the Prometheus text format to read one metric's samples: its labels and value.
 * Lenient like Prometheus itself about blanks (Patroni 3.0.2 writes one line with a space before
 * the brace), and indifferent to label order.
 */
final class Exposition {
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One sample: its labels and value. */
  record Sample(Map<String, String> labels, double value) {}

  private Exposition() {}

  static List<Sample> samples(String body, String metric) {
    List<Sample> out = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (!line.startsWith(metric)) {
        continue;
      }
      String rest = line.substring(metric.length()).stripLeading();
      Map<String, String> labels = new LinkedHashMap<>();
      if (rest.startsWith("{")) {
        int close = rest.lastIndexOf('}');
        if (close < 0) {
          continue;
        }
        Matcher m = LABEL.matcher(rest.substring(1, close));
        while (m.find()) {
          labels.put(m.group(1), m.group(2));
        }
        rest = rest.substring(close + 1);
      } else if (!rest.isEmpty() && !Character.isWhitespace(line.charAt(metric.length()))) {
        continue; // another metric whose name starts with this one
      }
      String[] f = rest.strip().split("\\s+");
      try {
        out.add(new Sample(labels, Double.parseDouble(f[0])));
      } catch (NumberFormatException e) {
        // not a sample line of this metric
      }
    }
    return out;
  }

  /** The {@code member} labels of the samples of {@code metric} with value 1 and these labels. */
  static List<String> membersAtOne(String body, String metric, Map<String, String> having) {
    List<String> out = new ArrayList<>();
    for (Sample s : samples(body, metric)) {
      if (s.value() == 1 && s.labels().entrySet().containsAll(having.entrySet())
          && s.labels().containsKey("member")) {
        out.add(s.labels().get("member"));
      }
    }
    return out;
  }
}
