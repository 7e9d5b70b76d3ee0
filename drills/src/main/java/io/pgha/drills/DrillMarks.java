package io.pgha.drills;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The marks a drill leaves for its timeline, from the drill's thread and the runner's alike; a
 * FAULT mark sets when the fault happened. Also the figures the drill measured itself, by name.
 */
public final class DrillMarks {
  private final List<Mark> marks = new ArrayList<>();
  private final Map<String, Long> values = new LinkedHashMap<>();
  private volatile long faultAt = -1;

  void add(Mark mark) {
    synchronized (marks) {
      marks.add(mark);
    }
    if (mark.kind() == Mark.Kind.FAULT) {
      faultAt = mark.atMillis();
    }
  }

  List<Mark> all() {
    synchronized (marks) {
      return List.copyOf(marks);
    }
  }

  /** When the fault happened; -1 before it. */
  long faultAt() {
    return faultAt;
  }

  void note(String name, long value) {
    synchronized (values) {
      values.put(name, value);
    }
  }

  Map<String, Long> values() {
    synchronized (values) {
      return Map.copyOf(values);
    }
  }
}
