package io.pgha.drills;

import io.pgha.traffic.WriteOutage;
import java.util.Optional;

/** The write outage checks and goals of the drills that interrupt writes. Pure. */
final class Outages {

  private Outages() {
  }

  /** The longest outage ended (writes came back) and lasted at most {@code limitMillis}. */
  static void expectRecoveredWithin(DrillAnalysis a, Judgement j, long limitMillis, String why) {
    Optional<WriteOutage> o = a.longestOutage();
    String measured = o.map(Outages::describe).orElse("no write failed");
    boolean ok = o.map(w -> w.recovered() && w.millis() <= limitMillis).orElse(true);
    j.expect("write outage", "at most " + Fmt.seconds(limitMillis) + " (" + why + ")", measured, ok);
  }

  static void goal(DrillAnalysis a, Judgement j, long goalMillis, String goal) {
    Optional<WriteOutage> o = a.longestOutage();
    j.goal("write outage", goal + " (" + Fmt.seconds(goalMillis) + ")", o.map(Outages::describe).orElse("no write failed"),
        o.map(w -> w.recovered() && w.millis() <= goalMillis).orElse(true));
  }

  static String describe(WriteOutage o) {
    return Fmt.seconds(o.millis()) + ", " + o.failedWrites() + " failed writes"
        + (o.recovered() ? "" : ", writes had not come back");
  }

  /** No write failed from the fault to the end. */
  static void expectNone(DrillAnalysis a, Judgement j) {
    int failed = a.failedWritesAfterFault();
    j.expect("no failed write", "0 failed writes", failed + " failed"
        + (failed == 0 ? "" : " (" + String.join("; ", a.writeErrors(a.faultAt(), Long.MAX_VALUE).stream().limit(2).toList()) + ")"),
        failed == 0);
  }
}
