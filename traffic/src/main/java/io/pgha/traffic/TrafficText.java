package io.pgha.traffic;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The text the traffic command prints: one line a second and the summary. Pure. */
public final class TrafficText {

  static final int MISSING_LISTED = 10;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private TrafficText() {
  }

  /** {@code   3s  writes  25 ok   0 failed | reads  25 ok   0 failed | write pg-1 | read pg-2 13, pg-3 12}. */
  public static String secondLine(long elapsedSeconds, TrafficWindow window) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%4ds  writes %4d ok %4d failed | reads %4d ok %4d failed",
        elapsedSeconds, window.writesOk(), window.writesFailed(), window.readsOk(), window.readsFailed()));
    line.append(" | write ").append(members(window.writesByMember()));
    line.append(" | read ").append(members(window.readsByMember()));
    if (window.readsFromPrimary() > 0) {
      line.append(" (").append(window.readsFromPrimary()).append(" from the primary)");
    }
    if (window.lastError() != null) {
      line.append(" | error: ").append(window.lastError());
    }
    return line.toString();
  }

  public static String summary(TrafficSummary summary, TrafficOptions options) {
    StringBuilder text = new StringBuilder();
    double seconds = (summary.stoppedAtMillis() - summary.startedAtMillis()) / 1000.0;
    text.append(String.format(Locale.ROOT, "summary: %.1f s at %s/s, read ratio %s%n", seconds, number(options.rate()),
        number(options.readRatio())));
    text.append(String.format(Locale.ROOT, "  writes %7d ok %6d failed   by %s%n", summary.writesOk(), summary.writesFailed(),
        members(summary.writesByMember())));
    text.append(String.format(Locale.ROOT, "  reads  %7d ok %6d failed   by %s%s%n", summary.readsOk(), summary.readsFailed(),
        members(summary.readsByMember()), summary.totals().readsFromPrimary() == 0 ? ""
            : " (" + summary.totals().readsFromPrimary() + " from the primary)"));
    // A single writer cannot go faster than commits return: show what was reached next to what was asked.
    text.append(String.format(Locale.ROOT, "  attempted: writes %s/s of %s/s asked, reads %s/s of %s/s asked%n",
        perSecond(summary.writesOk() + summary.writesFailed(), seconds), number(options.writesPerSecond()),
        perSecond(summary.readsOk() + summary.readsFailed(), seconds), number(options.readsPerSecond())));
    text.append("  longest write outage: ").append(outage(summary)).append('\n');
    text.append("  longest gap between acknowledged writes: ").append(summary.longestWriteGapMillis())
        .append(" ms\n");
    text.append(ledger(summary.ledgerCheck())).append('\n');
    text.append("  ledger file: ").append(summary.ledgerFile()).append('\n');
    return text.toString();
  }

  private static String outage(TrafficSummary summary) {
    return summary.longestWriteOutage().map(outage -> {
      String text = outage.millis() + " ms (" + time(outage.fromMillis()) + " to " + time(outage.toMillis()) + ", "
          + outage.failedWrites() + " failed writes"
          + (outage.recovered() ? "" : ", writes had not come back when the run stopped") + ")";
      int count = summary.writeOutages().size();
      return count > 1 ? text + "; " + count + " outages in all" : text;
    }).orElse("0 ms (no write failed)");
  }

  private static String ledger(LedgerCheck check) {
    StringBuilder text = new StringBuilder();
    if (check.complete()) {
      text.append(String.format(Locale.ROOT, "  ledger check: %d acknowledged, %d found, %d missing", check.acknowledged(),
          check.found(), check.lost()));
    } else {
      text.append(String.format(Locale.ROOT, "  ledger check INCOMPLETE: %d acknowledged, %d found, at least %d missing: %s",
          check.acknowledged(), check.found(), check.lost(), check.problem()));
    }
    check.missing().stream().limit(MISSING_LISTED).forEach(entry -> text.append(String.format(
        "%n    missing %s acknowledged at %s by %s", entry.token(), time(entry.ackedAtMillis()), entry.member())));
    if (check.lost() > MISSING_LISTED) {
      text.append(String.format(Locale.ROOT, "%n    ... and %d more", check.lost() - MISSING_LISTED));
    }
    return text.toString();
  }

  static String members(Map<String, Integer> counts) {
    if (counts.isEmpty()) {
      return "-";
    }
    if (counts.size() == 1) {
      return counts.keySet().iterator().next();
    }
    return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
  }

  static String time(long epochMillis) {
    return TIME.format(Instant.ofEpochMilli(epochMillis));
  }

  private static String perSecond(long count, double seconds) {
    return seconds <= 0 ? "0" : String.format(Locale.ROOT, "%.1f", count / seconds);
  }

  public static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
