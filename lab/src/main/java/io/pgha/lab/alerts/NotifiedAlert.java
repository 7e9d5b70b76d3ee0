package io.pgha.lab.alerts;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One alert inside an Alertmanager webhook notification (payload version 4).
 *
 * @param status {@code firing} or {@code resolved}
 * @param endsAt empty while the alert has no end (Alertmanager sends year 1 then)
 */
public record NotifiedAlert(String status, Map<String, String> labels, Map<String, String> annotations,
                            Instant startsAt, Optional<Instant> endsAt) {

  public NotifiedAlert {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  public String alertname() {
    return labels.getOrDefault("alertname", "");
  }
}
