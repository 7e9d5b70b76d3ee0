package io.pgha.drills;

import io.pgha.traffic.LedgerCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The cells of the report's table of drills, one row per drill run. Pure. */
public final class DrillTable {

  public static final List<String> HEADER = List.of("drill", "verdict", "write outage",
      "pgha exporters showed it", "Patroni /metrics showed it", "alerts delivered (after the fault)", "writes lost",
      "split-brain window");

  private DrillTable() {
  }

  public static List<String> row(DrillResult r) {
    DrillResult.Figures f = r.figures();
    return List.of(r.plan().title(), verdict(r), outage(f), detections(f.pgha()), detections(f.patroni()),
        alerts(f.alerts()), lost(f), splitBrain(f));
  }

  static String verdict(DrillResult r) {
    if (r.passed()) {
      return "PASS";
    }
    List<String> why = new ArrayList<>();
    List<String> missed = r.missed().stream().map(Check::name).distinct().toList();
    if (!missed.isEmpty()) {
      why.add("missed: " + String.join(", ", missed));
    }
    if (!r.recording().problems().isEmpty()) {
      why.add("drill problem");
    }
    return "FAIL (" + String.join("; ", why) + ")";
  }

  static String outage(DrillResult.Figures f) {
    return f.writeOutage().map(o -> Fmt.seconds(o.millis()) + (o.recovered() ? "" : "+, not recovered")
        + " (" + f.failedWrites() + " failed)").orElse(f.failedWrites() == 0 ? "none" : f.failedWrites() + " failed");
  }

  static String detections(List<Detection> ds) {
    if (ds.isEmpty()) {
      return "n/a";
    }
    return ds.stream().map(d -> shortName(d.what()) + " " + Fmt.seconds(d.afterMillis(), "never"))
        .collect(Collectors.joining(", "));
  }

  /** {@code pgha_dcs_leader{member="pg-2"} 1} reads as {@code dcs_leader=1}. */
  static String shortName(String what) {
    java.util.regex.Matcher m = SERIES.matcher(what);
    if (!m.matches()) {
      return what;
    }
    String name = m.group(1).startsWith("pgha_") ? m.group(1).substring(5) : m.group(1);
    return name + "=" + m.group(3) + (m.group(4) == null ? "" : m.group(4));
  }

  /** {@code name{labels} value} with an optional {@code on member}. */
  private static final java.util.regex.Pattern SERIES =
      java.util.regex.Pattern.compile("([a-z_:]+)(\\{[^}]*\\})? (\\S+)( on \\S+)?");

  static String alerts(List<AlertDelivery> alerts) {
    if (alerts.isEmpty()) {
      return "none";
    }
    return alerts.stream().map(a -> {
      String prefix = a.expected() ? "" : "+";
      if (a.delivered()) {
        return prefix + a.alertname() + " " + Fmt.seconds(a.afterMillis().getAsLong());
      }
      if (a.alreadyActive()) {
        return prefix + a.alertname() + (a.expected() ? " (already firing)" : " (firing before the fault)");
      }
      return a.alertname() + " NOT delivered";
    }).collect(Collectors.joining(", "));
  }

  static String lost(DrillResult.Figures f) {
    String text = lost(f.ledger());
    if (f.held() != null) {
      text += "; held session to " + f.held().member() + " " + lost(f.held().ledger());
    }
    String all = text;
    return f.wal().map(w -> all + " (WAL beyond switch: " + Fmt.bytes(w.bytes()) + ")").orElse(all);
  }

  private static String lost(LedgerCheck l) {
    if (l == null) {
      return "not checked";
    }
    if (!l.complete()) {
      return "at least " + l.lost() + " (check incomplete)";
    }
    return l.lost() + " of " + l.acknowledged();
  }

  /** {@code 0 ms}, or how long two timelines took writes at once and how many writes that was. */
  static String splitBrain(DrillResult.Figures f) {
    if (f.splitBrain() == null || f.splitBrain().timelines().isEmpty()) {
      return "n/a";
    }
    return f.splitBrain().splitBrain() ? Fmt.seconds(f.splitBrain().windowMillis()) + " ("
        + f.splitBrain().overlapping() + " writes)" : "0 ms";
  }
}
