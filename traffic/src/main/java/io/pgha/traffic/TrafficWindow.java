package io.pgha.traffic;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of the operations that ended in [startMillis, endMillis), epoch milliseconds.
 *
 * @param writesByMember acknowledged writes per serving member, in member name order
 * @param readsByMember successful reads per serving member, in member name order
 * @param readsFromPrimary successful reads that a primary served (the read port should reach replicas)
 * @param lastError the last failure's description in the window, null when nothing failed
 */
public record TrafficWindow(long startMillis, long endMillis, int writesOk, int writesFailed, int readsOk,
                            int readsFailed, Map<String, Integer> writesByMember,
                            Map<String, Integer> readsByMember, int readsFromPrimary, String lastError) {

  public TrafficWindow {
    writesByMember = Collections.unmodifiableMap(new TreeMap<>(writesByMember));
    readsByMember = Collections.unmodifiableMap(new TreeMap<>(readsByMember));
  }
}
