package io.pgha.drills;

import io.pgha.traffic.LedgerCheck;
import io.pgha.traffic.LedgerEntry;
import io.pgha.traffic.TimelineOverlap;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Turns a recording into a result: the drill's own judgement plus what every drill expects (its alerts
 * delivered, no acknowledged write lost unless the drill allows it, the ledger read back from its file
 * agreeing, no two primaries taking writes at once, the cluster healthy again). Pure.
 */
public final class DrillJudge {

  private DrillJudge() {
  }

  public static DrillResult result(Drill drill, DrillRecording r) {
    DrillAnalysis a = new DrillAnalysis(r);
    Judgement j = drill.judge(a);
    List<Check> checks = new ArrayList<>(j.checks);
    List<AlertDelivery> expected = drill.expectedAlerts(r.facts(), r.target()).stream()
        .map(e -> a.expectedAlert(e.alertname(), e.labels())).toList();
    for (AlertDelivery d : expected) {
      checks.add(alertCheck(d, r.endedAtMillis() - r.faultAtMillis()));
    }
    checks.add(ledgerCheck(r.ledger(), j.lossAllowed));
    if (r.held() != null) {
      checks.add(heldLedgerCheck(r.held(), j.lossAllowed));
    }
    if (r.ledger() != null) {
      checks.add(rereadCheck(r.ledger(), r.reread()));
    }
    TimelineOverlap overlap = TimelineOverlap.of(r.acknowledged());
    checks.add(splitBrainCheck(overlap));
    checks.add(Check.expect("cluster healthy again", "after the restore, within the bound",
        r.converged() ? Fmt.seconds(r.convergedAtMillis() - (r.restored() ? r.restoreAtMillis() : r.faultAtMillis()))
            + " after " + (r.restored() ? "the restore began" : "the fault") : "not healthy in time",
        r.converged()));
    List<AlertDelivery> alerts = new ArrayList<>(a.alerts(expected));
    alerts.addAll(a.activeBeforeFault(drill.foretellingAlerts()));
    DrillResult.Figures figures = new DrillResult.Figures(a.longestOutage(), a.failedWritesAfterFault(), j.pgha,
        j.patroni, alerts, r.ledger(), j.wal, overlap, r.held(), j.figures);
    return new DrillResult(r, checks, figures);
  }

  static Check alertCheck(AlertDelivery d, long observedMillis) {
    String name = "alert " + d.alertname() + " delivered";
    String expected = "firing" + (d.labels().isEmpty() ? "" : " with " + d.labels());
    if (d.delivered()) {
      return Check.expect(name, expected, "after " + Fmt.seconds(d.afterMillis().getAsLong()), true);
    }
    if (d.alreadyActive()) {
      return Check.notMeasured(name, expected, "already pending or firing before the fault: Alertmanager "
          + "does not notify again for the same labels");
    }
    return Check.expect(name, expected, "not delivered within " + Fmt.seconds(observedMillis) + " of the fault", false);
  }

  static Check ledgerCheck(LedgerCheck ledger, boolean lossAllowed) {
    return ledgerCheck("acknowledged writes kept", ledger, lossAllowed);
  }

  /** The writes of the session held to the old leader: the same rule as the traffic's. */
  static Check heldLedgerCheck(HeldSession held, boolean lossAllowed) {
    return ledgerCheck("acknowledged writes kept (session held to " + held.member() + ")", held.ledger(),
        lossAllowed);
  }

  /**
   * The ledger read back from its file and looked up again must name the same lost writes: what the
   * drill reports is what anyone re-checking the file later finds.
   */
  static Check rereadCheck(LedgerCheck atStop, LedgerCheck reread) {
    String name = "ledger re-read from its file";
    String expected = "the same acknowledged writes, the same lost";
    if (reread == null) {
      return Check.expect(name, expected, "the ledger file could not be read back", false);
    }
    String measured = reread.lost() + " of " + reread.acknowledged() + " lost" + (reread.complete() ? ""
        : " (check incomplete: " + reread.problem() + ")");
    boolean same = reread.complete() && atStop.complete() && reread.acknowledged() == atStop.acknowledged()
        && tokens(reread.missing()).equals(tokens(atStop.missing()));
    return Check.expect(name, expected, measured + (same ? ", the same writes" : ", at the stop: "
        + atStop.lost() + " of " + atStop.acknowledged()), same);
  }

  private static Set<UUID> tokens(List<LedgerEntry> entries) {
    return entries.stream().map(LedgerEntry::token).collect(Collectors.toSet());
  }

  /** No write acknowledged on an older timeline after the first write on a newer one. */
  static Check splitBrainCheck(TimelineOverlap overlap) {
    String expected = "0 ms: no write acknowledged on an older timeline after the first on a newer one";
    if (overlap.splitBrain()) {
      return Check.expect("split-brain window", expected, Fmt.seconds(overlap.windowMillis()) + ", "
          + overlap.overlapping() + " writes on an older timeline after a newer one began", false);
    }
    return Check.expect("split-brain window", expected, "0 ms (" + describeTimelines(overlap) + ")", true);
  }

  /** {@code timeline 3 (pg-1), then 4 (pg-2) 5.2 s after its last write}. */
  static String describeTimelines(TimelineOverlap overlap) {
    List<TimelineOverlap.Span> spans = overlap.timelines();
    if (spans.isEmpty()) {
      return "no write with a known timeline";
    }
    StringBuilder s = new StringBuilder("timeline " + spans.get(0).timeline() + " " + spans.get(0).members());
    for (int i = 1; i < spans.size(); i++) {
      s.append(", then ").append(spans.get(i).timeline()).append(' ').append(spans.get(i).members()).append(' ')
          .append(Fmt.seconds(spans.get(i).firstAckMillis() - spans.get(i - 1).lastAckMillis()))
          .append(" after the last write on ").append(spans.get(i - 1).timeline());
    }
    return s.toString();
  }

  private static Check ledgerCheck(String name, LedgerCheck ledger, boolean lossAllowed) {
    if (ledger == null) {
      return Check.expect(name, "ledger checked", "no traffic ran", false);
    }
    if (!ledger.complete()) {
      return Check.expect(name, lossAllowed ? "ledger checked (losses counted)" : "0 lost",
          "ledger check incomplete: " + ledger.problem(), false);
    }
    String measured = ledger.lost() + " of " + ledger.acknowledged() + " lost";
    if (lossAllowed) {
      return Check.expect(name, "counted (asynchronous replication may lose some)", measured, true);
    }
    return Check.expect(name, "0 lost", measured, ledger.lost() == 0);
  }
}
