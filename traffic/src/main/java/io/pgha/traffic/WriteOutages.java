package io.pgha.traffic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Finds write outages and gaps in a record of operation outcomes. Pure. */
public final class WriteOutages {

  private WriteOutages() {
  }

  /**
   * Every outage among the writes that ended within [fromMillis, toMillis], in time order. An outage
   * needs at least one failed write; a slow but successful write is a gap, not an outage.
   */
  public static List<WriteOutage> all(List<OperationOutcome> outcomes, long fromMillis, long toMillis) {
    List<WriteOutage> outages = new ArrayList<>();
    long lastOk = fromMillis;
    int failures = 0;
    for (OperationOutcome write : writesBetween(outcomes, fromMillis, toMillis)) {
      if (write.ok()) {
        if (failures > 0) {
          outages.add(new WriteOutage(lastOk, write.endedAtMillis(), failures, true));
        }
        lastOk = write.endedAtMillis();
        failures = 0;
      } else {
        failures++;
      }
    }
    if (failures > 0) {
      outages.add(new WriteOutage(lastOk, Math.max(lastOk, toMillis), failures, false));
    }
    return outages;
  }

  /** The longest outage within [fromMillis, toMillis]; the earliest one when several are as long. */
  public static Optional<WriteOutage> longest(List<OperationOutcome> outcomes, long fromMillis, long toMillis) {
    WriteOutage longest = null;
    for (WriteOutage outage : all(outcomes, fromMillis, toMillis)) {
      if (longest == null || outage.millis() > longest.millis()) {
        longest = outage;
      }
    }
    return Optional.ofNullable(longest);
  }

  /**
   * The longest time between two successive acknowledged writes, failures or not: unlike an outage it
   * also shows writes that hung without failing. Zero with fewer than two acknowledged writes.
   */
  public static long longestGapMillis(List<OperationOutcome> outcomes, long fromMillis, long toMillis) {
    long previous = -1;
    long longest = 0;
    for (OperationOutcome write : writesBetween(outcomes, fromMillis, toMillis)) {
      if (write.ok()) {
        if (previous >= 0) {
          longest = Math.max(longest, write.endedAtMillis() - previous);
        }
        previous = write.endedAtMillis();
      }
    }
    return longest;
  }

  /**
   * When the first write acknowledged after fromMillis was acknowledged: "writes flowing again" after an
   * event such as a leader key change. Empty when none was.
   */
  public static OptionalLong firstAcknowledgedWriteAfter(List<OperationOutcome> outcomes, long fromMillis) {
    return outcomes.stream()
        .filter(o -> o.isWrite() && o.ok() && o.endedAtMillis() > fromMillis)
        .mapToLong(OperationOutcome::endedAtMillis)
        .min();
  }

  private static List<OperationOutcome> writesBetween(List<OperationOutcome> outcomes, long fromMillis,
                                                      long toMillis) {
    List<OperationOutcome> writes = new ArrayList<>();
    for (OperationOutcome outcome : outcomes) {
      if (outcome.isWrite() && outcome.endedAtMillis() >= fromMillis && outcome.endedAtMillis() <= toMillis) {
        writes.add(outcome);
      }
    }
    writes.sort(Comparator.comparingLong(OperationOutcome::endedAtMillis));
    return writes;
  }
}
