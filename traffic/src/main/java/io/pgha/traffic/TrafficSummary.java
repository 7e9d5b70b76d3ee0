package io.pgha.traffic;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a finished traffic run amounts to.
 *
 * @param writeOutages every write outage in time order
 * @param longestWriteGapMillis longest time between successive acknowledged writes (also catches stalls)
 * @param totals all operations of the run, with the members that served them
 * @param ledgerFile where the acknowledged writes were kept
 */
public record TrafficSummary(long startedAtMillis, long stoppedAtMillis, TrafficWindow totals,
                             List<WriteOutage> writeOutages, long longestWriteGapMillis, LedgerCheck ledgerCheck,
                             Path ledgerFile) {

  public TrafficSummary {
    writeOutages = List.copyOf(writeOutages);
  }

  /** Summarises the outcomes of a run stopped at stoppedAtMillis. */
  public static TrafficSummary of(List<OperationOutcome> outcomes, long startedAtMillis, long stoppedAtMillis,
                                  LedgerCheck ledgerCheck, Path ledgerFile) {
    // Operations still in flight at the stop end a little after it: count them too.
    long end = Math.max(stoppedAtMillis,
        outcomes.stream().mapToLong(OperationOutcome::endedAtMillis).max().orElse(stoppedAtMillis));
    return new TrafficSummary(startedAtMillis, stoppedAtMillis,
        TrafficWindows.tally(outcomes, startedAtMillis, end + 1),
        WriteOutages.all(outcomes, startedAtMillis, end),
        WriteOutages.longestGapMillis(outcomes, startedAtMillis, end), ledgerCheck, ledgerFile);
  }

  public long writesOk() {
    return totals.writesOk();
  }

  public long writesFailed() {
    return totals.writesFailed();
  }

  public long readsOk() {
    return totals.readsOk();
  }

  public long readsFailed() {
    return totals.readsFailed();
  }

  public Map<String, Integer> writesByMember() {
    return totals.writesByMember();
  }

  public Map<String, Integer> readsByMember() {
    return totals.readsByMember();
  }

  /** The longest outage; the earliest of equally long ones. */
  public Optional<WriteOutage> longestWriteOutage() {
    return writeOutages.stream().max(Comparator.comparingLong(WriteOutage::millis)
        .thenComparing(Comparator.comparingLong(WriteOutage::fromMillis).reversed()));
  }

  public long longestWriteOutageMillis() {
    return longestWriteOutage().map(WriteOutage::millis).orElse(0L);
  }

  /** Acknowledged writes missing on the primary (a lower bound when the ledger check is incomplete). */
  public int lostWrites() {
    return ledgerCheck.lost();
  }
}
