package io.pgha.drills;

import java.util.Map;
import java.util.TreeMap;

/**
 * One alert of a notification the pgha receiver recorded, stamped with when the drill first saw the
 * line appear in {@code notifications.jsonl} (polled often: within a few hundred ms of delivery).
 *
 * @param status the alert's own status in the notification, {@code firing} or {@code resolved}
 */
public record AlertSeen(long seenAtMillis, int line, String status, String alertname, Map<String, String> labels) {

  public AlertSeen {
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  public boolean firing() {
    return "firing".equals(status);
  }

  /** Same alert name, and every expected label has the expected value. */
  public boolean matches(String name, Map<String, String> expected) {
    if (!alertname.equals(name)) {
      return false;
    }
    return expected.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
