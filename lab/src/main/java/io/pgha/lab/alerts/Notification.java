package io.pgha.lab.alerts;

import java.util.List;
import java.util.Map;

/**
 * One Alertmanager webhook payload as the pgha receiver recorded it: one line of
 * {@code <workdir>/alerts/notifications.jsonl}.
 *
 * @param line the line number in the file, from 1
 * @param status {@code firing} when at least one of its alerts fires, else {@code resolved}
 * @param groupLabels the labels Alertmanager grouped by (scope, alertname)
 */
public record Notification(int line, String receiver, String status, Map<String, String> groupLabels,
                           List<NotifiedAlert> alerts) {

  public Notification {
    groupLabels = Map.copyOf(groupLabels);
    alerts = List.copyOf(alerts);
  }
}
