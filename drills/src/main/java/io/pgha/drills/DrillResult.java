package io.pgha.drills;

import io.pgha.traffic.LedgerCheck;
import io.pgha.traffic.TimelineOverlap;
import io.pgha.traffic.WriteOutage;
import java.util.List;
import java.util.Optional;

/**
 * A judged drill run: the recording, the expectations and goals checked against it, and the figures of
 * the report's table.
 */
public record DrillResult(DrillRecording recording, List<Check> checks, Figures figures) {

  /**
   * @param writeOutage the longest write outage from the steady state on (none when no write failed)
   * @param failedWrites write attempts that failed after the fault
   * @param pgha when pgha's exporters showed the change
   * @param patroni when Patroni's own {@code /metrics} showed it
   * @param alerts expected alerts first, then the others delivered after the fault
   * @param ledger the ledger check (null when the traffic never ran)
   * @param wal for a failover: how much WAL the old leader had beyond the new timeline's start
   * @param splitBrain the acknowledged writes by timeline: whether two primaries took writes at once
   * @param held the session held to the old leader (its writes and their ledger check); null without one
   * @param more drill-specific figures
   */
  public record Figures(Optional<WriteOutage> writeOutage, int failedWrites, List<Detection> pgha,
                        List<Detection> patroni, List<AlertDelivery> alerts, LedgerCheck ledger,
                        Optional<WalDistance> wal, TimelineOverlap splitBrain, HeldSession held, List<Figure> more) {

    public Figures {
      pgha = List.copyOf(pgha);
      patroni = List.copyOf(patroni);
      alerts = List.copyOf(alerts);
      more = List.copyOf(more);
    }
  }

  public DrillResult {
    checks = List.copyOf(checks);
  }

  public DrillPlan plan() {
    return recording.plan();
  }

  /** Passed when no expectation failed and the drill itself ran without a problem. */
  public boolean passed() {
    return missed().isEmpty() && recording.problems().isEmpty();
  }

  public List<Check> missed() {
    return checks.stream().filter(Check::missed).toList();
  }
}
