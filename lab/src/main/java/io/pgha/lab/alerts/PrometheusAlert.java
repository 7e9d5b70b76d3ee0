package io.pgha.lab.alerts;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of Prometheus's {@code GET /api/v1/alerts}: an alert that is pending or firing.
 *
 * @param state {@code pending} or {@code firing}
 * @param activeAt when its expression first became true
 * @param value the expression's value, as Prometheus formats it
 */
public record PrometheusAlert(String state, Instant activeAt, String value,
                              Map<String, String> labels, Map<String, String> annotations) {

  public PrometheusAlert {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  public String alertname() {
    return labels.getOrDefault("alertname", "");
  }
}
