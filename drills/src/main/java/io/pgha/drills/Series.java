package io.pgha.drills;

import java.util.Map;
import java.util.TreeMap;

/** One line of a Prometheus text exposition: a metric name, its labels and its value. */
public record Series(String name, Map<String, String> labels, double value) {

  public Series {
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  /** True when every given label has the given value here (other labels may exist). */
  public boolean matches(String metric, Map<String, String> wanted) {
    if (!name.equals(metric)) {
      return false;
    }
    for (Map.Entry<String, String> e : wanted.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
