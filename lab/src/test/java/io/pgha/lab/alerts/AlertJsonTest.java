package io.pgha.lab.alerts;

import io.pgha.testkit.Recorded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Payloads recorded from Prometheus 2.42 and Alertmanager 0.25 running these rules (see README). */
class AlertJsonTest {

  @Test
  void prometheusAlertsResponse() throws IOException {
    List<PrometheusAlert> alerts = AlertJson.prometheusAlerts(Recorded.text("alerts/prometheus-alerts.json"));
    assertThat(alerts).extracting(PrometheusAlert::alertname, PrometheusAlert::state).containsExactly(
        org.assertj.core.groups.Tuple.tuple("PghaExporterDown", "pending"),
        org.assertj.core.groups.Tuple.tuple("PghaHaproxyWriteBackendNotOne", "pending"),
        org.assertj.core.groups.Tuple.tuple("PghaHaproxyNoReadBackend", "pending"),
        org.assertj.core.groups.Tuple.tuple("PghaPatroniFailover", "firing"),
        org.assertj.core.groups.Tuple.tuple("PghaPatroniMemberDown", "pending"));
    PrometheusAlert failover = alerts.get(3);
    assertThat(failover.labels()).isEqualTo(
        Map.of("alertname", "PghaPatroniFailover", "scope", "pgha", "severity", "warning"));
    assertThat(failover.annotations()).containsEntry("runbook_url", "docs/runbooks/PghaPatroniFailover.md");
    assertThat(failover.value()).isEqualTo("1.2033689893032091e+00");
    assertThat(failover.activeAt()).isEqualTo(Instant.parse("2026-11-26T03:48:35.915105099Z"));
  }

  @Test
  void webhookPayloadVersion4WithAFiringAndAResolvedAlert() throws IOException {
    String line = Recorded.text("alerts/notifications.jsonl").lines().toList().get(8);
    Notification n = AlertJson.notification(9, line);
    assertThat(n.line()).isEqualTo(9);
    assertThat(n.receiver()).isEqualTo("pgha");
    assertThat(n.status()).isEqualTo("firing");
    assertThat(n.groupLabels()).isEqualTo(Map.of("alertname", "PghaPatroniMemberDown", "scope", "pgha"));
    assertThat(n.alerts()).extracting(a -> a.labels().get("member"), NotifiedAlert::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("pg-1", "resolved"),
            org.assertj.core.groups.Tuple.tuple("pg-2", "firing"));
    assertThat(n.alerts().get(0).endsAt()).isPresent();
    assertThat(n.alerts().get(1).endsAt()).isEqualTo(Optional.empty());
  }

  @Test
  void prometheusErrorsNameWhatIsWrong() {
    assertThatThrownBy(() -> AlertJson.prometheusAlerts("<html>Bad Gateway</html>"))
        .hasMessageStartingWith("Prometheus /api/v1/alerts: not JSON");
    assertThatThrownBy(() -> AlertJson.prometheusAlerts(
        "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"rule manager not ready\"}"))
        .hasMessage("Prometheus /api/v1/alerts: status error: rule manager not ready");
    assertThatThrownBy(() -> AlertJson.prometheusAlerts("{\"status\":\"success\",\"data\":{}}"))
        .hasMessage("Prometheus /api/v1/alerts: data.alerts: missing or not a list");
    assertThatThrownBy(() -> AlertJson.prometheusAlerts(
        "{\"status\":\"success\",\"data\":{\"alerts\":[{\"state\":\"firing\",\"activeAt\":\"yesterday\"}]}}"))
        .hasMessage("data.alerts[0].activeAt: not a timestamp: yesterday");
  }

  @Test
  void webhookErrorsNameTheLineAndField() {
    assertThatThrownBy(() -> AlertJson.notification(3, "{\"status\":\"firing\"}"))
        .hasMessage("line 3: alerts: missing or not a list");
    assertThatThrownBy(() -> AlertJson.notification(4, "{\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\"}]}"))
        .hasMessage("line 4: alerts[0].startsAt: missing or not a string");
    assertThatThrownBy(() -> AlertJson.notification(5, "[1,2]"))
        .hasMessage("line 5: not a JSON object");
  }
}
