package io.pgha.drills;

import java.util.ArrayList;
import java.util.List;

/** What the console shows: a verdict per drill and the table at the end. Pure. */
public final class DrillText {

  private DrillText() {
  }

  public static String verdict(DrillResult r) {
    StringBuilder s = new StringBuilder();
    s.append("  ").append(r.passed() ? "PASS" : "FAIL").append(' ').append(r.plan().title()).append('\n');
    for (Check c : r.checks()) {
      s.append("    ").append(status(c)).append(' ').append(c.name()).append(": ").append(c.measured())
          .append(" (expected ").append(c.expected()).append(")\n");
    }
    for (Figure f : r.figures().more()) {
      s.append("    figure ").append(f.name()).append(": ").append(f.value()).append('\n');
    }
    r.figures().wal().ifPresent(w -> s.append("    figure WAL beyond the switch position: ")
        .append(w.describe()).append(")\n"));
    for (String p : r.recording().problems()) {
      s.append("    PROBLEM ").append(p).append('\n');
    }
    if (!r.passed()) {
      s.append("    missed: ").append(missed(r)).append('\n');
    }
    return s.toString();
  }

  /** The figures that missed, for the exit message and the test failure. */
  public static String missed(DrillResult r) {
    List<String> parts = new ArrayList<>();
    for (Check c : r.missed()) {
      parts.add(c.name() + " = " + c.measured() + " (expected " + c.expected() + ")");
    }
    parts.addAll(r.recording().problems());
    return String.join("; ", parts);
  }

  static String status(Check c) {
    if (c.status() == Check.Status.NOT_MEASURED) {
      return "n/a ";
    }
    if (c.goal()) {
      return c.status() == Check.Status.PASS ? "goal" : "GOAL";
    }
    return c.status() == Check.Status.PASS ? "ok  " : "MISS";
  }

  /** The table of drills as aligned text. */
  public static String table(List<DrillResult> results) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(DrillTable.HEADER);
    results.forEach(r -> rows.add(DrillTable.row(r)));
    int[] widths = new int[DrillTable.HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder s = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == 0 ? "" : " | ").append(pad(row.get(i), widths[i]));
      }
      s.append(line.toString().stripTrailing()).append('\n');
      if (r == 0) {
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
          rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        s.append(rule).append('\n');
      }
    }
    return s.toString();
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }
}
