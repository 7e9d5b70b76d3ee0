package io.pgha.drills;

import io.pgha.traffic.LedgerCheck;
import io.pgha.traffic.OperationOutcome;
import java.util.List;

/**
 * A client session held straight to the old leader's PostgreSQL from before the fault (not through
 * HAProxy): its writes show until when the old leader took writes, and whether any of them was lost.
 *
 * @param outcomes its writes, on the drill's clock
 * @param ledger its acknowledged writes looked up on the primary afterwards; null if it never ran
 */
public record HeldSession(String member, List<OperationOutcome> outcomes, LedgerCheck ledger) {

  public HeldSession {
    outcomes = List.copyOf(outcomes);
  }
}
