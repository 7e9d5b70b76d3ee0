package io.pgha.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Tallies operation outcomes into time windows. Pure. */
public final class TrafficWindows {

  /** The bucket width the drills' timelines use. */
  public static final long BUCKET_MILLIS = 100;

  private TrafficWindows() {
  }

  /** Tally of the outcomes that ended in [fromMillis, toMillis). */
  public static TrafficWindow tally(List<OperationOutcome> outcomes, long fromMillis, long toMillis) {
    return buckets(outcomes, fromMillis, toMillis, Math.max(1, toMillis - fromMillis)).stream()
        .findFirst()
        .orElseGet(() -> new TrafficWindow(fromMillis, toMillis, 0, 0, 0, 0, Map.of(), Map.of(), 0, null));
  }

  /**
   * Consecutive buckets of widthMillis from fromMillis up to toMillis (the last one may be shorter),
   * each with the outcomes that ended in it.
   */
  public static List<TrafficWindow> buckets(List<OperationOutcome> outcomes, long fromMillis, long toMillis,
                                            long widthMillis) {
    if (widthMillis <= 0) {
      throw new IllegalArgumentException("bucket width must be positive: " + widthMillis);
    }
    int count = (int) Math.max(0, (toMillis - fromMillis + widthMillis - 1) / widthMillis);
    Tally[] tallies = new Tally[count];
    for (int i = 0; i < count; i++) {
      tallies[i] = new Tally();
    }
    for (OperationOutcome outcome : outcomes) {
      long end = outcome.endedAtMillis();
      if (end >= fromMillis && end < toMillis) {
        tallies[(int) ((end - fromMillis) / widthMillis)].add(outcome);
      }
    }
    List<TrafficWindow> windows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long start = fromMillis + i * widthMillis;
      windows.add(tallies[i].toWindow(start, Math.min(toMillis, start + widthMillis)));
    }
    return windows;
  }

  private static final class Tally {
    int writesOk;
    int writesFailed;
    int readsOk;
    int readsFailed;
    int readsFromPrimary;
    final Map<String, Integer> writesByMember = new TreeMap<>();
    final Map<String, Integer> readsByMember = new TreeMap<>();
    String lastError;
    long lastErrorAt = Long.MIN_VALUE;

    void add(OperationOutcome outcome) {
      if (outcome.ok()) {
        if (outcome.isWrite()) {
          writesOk++;
          writesByMember.merge(outcome.member(), 1, Integer::sum);
        } else {
          readsOk++;
          readsByMember.merge(outcome.member(), 1, Integer::sum);
          if (outcome.primary()) {
            readsFromPrimary++;
          }
        }
        return;
      }
      if (outcome.isWrite()) {
        writesFailed++;
      } else {
        readsFailed++;
      }
      if (outcome.endedAtMillis() >= lastErrorAt) {
        lastErrorAt = outcome.endedAtMillis();
        lastError = outcome.error();
      }
    }

    TrafficWindow toWindow(long start, long end) {
      return new TrafficWindow(start, end, writesOk, writesFailed, readsOk, readsFailed, writesByMember,
          readsByMember, readsFromPrimary, lastError);
    }
  }
}
