package io.pgha.drills;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * An alert the drill expected, or one that was delivered while it ran.
 *
 * @param labels sorted by name, so reports print them the same way every run
 * @param expected true for an alert the drill expects, false for one that came along
 * @param afterMillis when the receiver got it firing, counted from the fault; empty when it did not
 * @param alreadyActive true when Prometheus had it pending or firing before the fault: Alertmanager
 *     does not notify again for the same labels, so its delivery cannot be measured
 */
public record AlertDelivery(String alertname, Map<String, String> labels, boolean expected,
                            OptionalLong afterMillis, boolean alreadyActive) {

  public AlertDelivery {
    labels = Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  public boolean delivered() {
    return afterMillis.isPresent();
  }
}
