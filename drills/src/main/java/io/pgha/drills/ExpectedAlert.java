package io.pgha.drills;

import java.util.Map;

/**
 * An alert a drill expects the receiver to get, with the labels it must carry.
 *
 * @param clearsWithCause true when the alert resolves within an evaluation once its cause is gone, so
 *     waiting for it to clear before the fault is worth it; false for one that lingers (PghaPatroniFailover
 *     stays firing for 10 minutes after a leader change, until the next change replaces it)
 */
public record ExpectedAlert(String alertname, Map<String, String> labels, boolean clearsWithCause) {

  public ExpectedAlert {
    labels = Map.copyOf(labels);
  }

  public ExpectedAlert(String alertname, Map<String, String> labels) {
    this(alertname, labels, true);
  }
}
