package io.pgha.drills;

import io.pgha.traffic.LedgerCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a recording into a result: the drill's own judgement plus what every drill expects (its alerts
 * delivered, no acknowledged write lost unless the drill allows it, the cluster healthy again). Pure.
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
    checks.add(Check.expect("cluster healthy again", "after the restore, within the bound",
        r.converged() ? Fmt.seconds(r.convergedAtMillis() - (r.restored() ? r.restoreAtMillis() : r.faultAtMillis()))
            + " after " + (r.restored() ? "the restore began" : "the fault") : "not healthy in time",
        r.converged()));
    List<AlertDelivery> alerts = new ArrayList<>(a.alerts(expected));
    alerts.addAll(a.activeBeforeFault(drill.foretellingAlerts()));
    DrillResult.Figures figures = new DrillResult.Figures(a.longestOutage(), a.failedWritesAfterFault(), j.pgha,
        j.patroni, alerts, r.ledger(), j.wal, j.figures);
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
    String name = "acknowledged writes kept";
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
