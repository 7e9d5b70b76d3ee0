package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.lab.client.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Alertmanager routes a firing alert to the pgha receiver, which writes it as one JSON line. */
@PghaCluster.Test
class AlertRoutingIT {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void anAlertReachesTheReceiverFile(TestCluster cluster) throws Exception {
    String marker = UUID.randomUUID().toString();
    String alert = """
        [{"labels":{"alertname":"PghaRoutingProbe","scope":"pgha","severity":"info","probe":"%s"},
          "annotations":{"summary":"integration test probe"}}]""".formatted(marker);
    Http.Response posted = new Http().postJson(cluster.topology().alertmanager().url()
        + "/api/v2/alerts", alert);
    assertThat(posted.status()).as(posted.body()).isEqualTo(200);

    Path file = cluster.workdir().resolve("alerts").resolve("notifications.jsonl");
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> Files.exists(file) && Files.readString(file).contains(marker));

    List<String> lines = Files.readAllLines(file).stream().filter(l -> l.contains(marker)).toList();
    JsonNode notification = json.readTree(lines.get(0));
    assertThat(notification.path("receiver").asText()).isEqualTo("pgha");
    assertThat(notification.path("status").asText()).isEqualTo("firing");
    assertThat(notification.at("/groupLabels/alertname").asText()).isEqualTo("PghaRoutingProbe");
    assertThat(notification.at("/groupLabels/scope").asText()).isEqualTo("pgha");
    assertThat(notification.at("/alerts/0/labels/probe").asText()).isEqualTo(marker);
  }
}
