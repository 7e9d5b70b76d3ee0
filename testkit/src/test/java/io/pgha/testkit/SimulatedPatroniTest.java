package io.pgha.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedPatroniTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void documentsShapedLikePatroni302s() throws Exception {
    // Field for field what Patroni 3.0.2 answered on a 3-member cluster (exporter-patroni's
    // recorded/3.0.2/01-fresh), ports and timeline aside.
    assertThat(JSON.writeValueAsString(SimulatedPatroni.cluster(List.of(8008, 8009, 8010)))).isEqualTo(
        "{\"members\":["
            + "{\"name\":\"pg-1\",\"role\":\"leader\",\"state\":\"running\",\"api_url\":\"http://127.0.0.1:8008/patroni\",\"host\":\"127.0.0.1\",\"port\":5432,\"timeline\":3},"
            + "{\"name\":\"pg-2\",\"role\":\"replica\",\"state\":\"running\",\"api_url\":\"http://127.0.0.1:8009/patroni\",\"host\":\"127.0.0.1\",\"port\":5432,\"timeline\":3,\"lag\":0},"
            + "{\"name\":\"pg-3\",\"role\":\"replica\",\"state\":\"running\",\"api_url\":\"http://127.0.0.1:8010/patroni\",\"host\":\"127.0.0.1\",\"port\":5432,\"timeline\":3,\"lag\":0}]}");
    assertThat(JSON.writeValueAsString(SimulatedPatroni.status("pgha-sim", 0, 3))).isEqualTo(
        "{\"state\":\"running\",\"postmaster_start_time\":\"2026-11-26 03:45:31.673784+00:00\","
            + "\"role\":\"master\",\"server_version\":150018,\"xlog\":{\"location\":67108960},\"timeline\":3,"
            + "\"replication\":["
            + "{\"usename\":\"replicator\",\"application_name\":\"pg-2\",\"client_addr\":\"127.0.0.1\",\"state\":\"streaming\",\"sync_state\":\"async\",\"sync_priority\":0},"
            + "{\"usename\":\"replicator\",\"application_name\":\"pg-3\",\"client_addr\":\"127.0.0.1\",\"state\":\"streaming\",\"sync_state\":\"async\",\"sync_priority\":0}],"
            + "\"dcs_last_seen\":1795664760,\"database_system_identifier\":\"7712321292261257657\","
            + "\"patroni\":{\"version\":\"3.0.2\",\"scope\":\"pgha-sim\"}}");
    assertThat(JSON.writeValueAsString(SimulatedPatroni.status("pgha-sim", 2, 3))).isEqualTo(
        "{\"state\":\"running\",\"postmaster_start_time\":\"2026-11-26 03:45:31.673784+00:00\","
            + "\"role\":\"replica\",\"server_version\":150018,\"xlog\":{\"received_location\":67108960,"
            + "\"replayed_location\":67108960,\"replayed_timestamp\":null,\"paused\":false},\"timeline\":3,"
            + "\"dcs_last_seen\":1795664760,\"database_system_identifier\":\"7712321292261257657\","
            + "\"patroni\":{\"version\":\"3.0.2\",\"scope\":\"pgha-sim\"}}");
    assertThat(JSON.writeValueAsString(SimulatedPatroni.history(3))).isEqualTo(
        "[[1,25165984,\"no recovery target specified\",\"2026-11-26T03:50:01.000000+00:00\",\"pg-2\"],"
            + "[2,50331808,\"no recovery target specified\",\"2026-11-26T03:55:01.000000+00:00\",\"pg-1\"]]");
    // As pgha's cluster's /config (exporter-patroni's recorded/3.0.2/12-healthy), fewer parameters.
    assertThat(JSON.writeValueAsString(SimulatedPatroni.config())).isEqualTo(
        "{\"ttl\":10,\"loop_wait\":2,\"retry_timeout\":4,\"maximum_lag_on_failover\":1048576,"
            + "\"failsafe_mode\":false,\"synchronous_mode\":false,\"postgresql\":{\"use_pg_rewind\":true,"
            + "\"use_slots\":true,\"parameters\":{\"wal_level\":\"replica\",\"hot_standby\":\"on\","
            + "\"max_wal_senders\":10,\"max_replication_slots\":10}}}");
  }

  @Test
  void eachMemberAnswersOnItsOwnPortAndClosesTheConnection() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (SimulatedPatroni fake = SimulatedPatroni.start("pgha-sim", 5)) {
      assertThat(fake.urls()).hasSize(5).doesNotHaveDuplicates();
      HttpResponse<String> cluster = http.send(HttpRequest.newBuilder(fake.urls().get(3).resolve("/cluster"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(cluster.statusCode()).isEqualTo(200);
      assertThat(cluster.headers().firstValue("Connection")).hasValue("close");
      JsonNode members = JSON.readTree(cluster.body()).path("members");
      assertThat(members).hasSize(5);
      for (int i = 0; i < 5; i++) {
        URI api = URI.create(members.get(i).path("api_url").asText());
        assertThat(api.getPort()).isEqualTo(fake.urls().get(i).getPort());
        JsonNode status = JSON.readTree(http.send(HttpRequest.newBuilder(api).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        assertThat(status.path("role").asText()).isEqualTo(i == 0 ? "master" : "replica");
      }
      assertThat(http.send(HttpRequest.newBuilder(fake.urls().get(0).resolve("/history")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).startsWith("[[1,");
      assertThat(JSON.readTree(http.send(HttpRequest.newBuilder(fake.urls().get(2).resolve("/config")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).path("ttl").asInt()).isEqualTo(10);
      assertThat(http.send(HttpRequest.newBuilder(fake.urls().get(0).resolve("/leader")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).as("what Patroni has and the simulation not").isEqualTo(404);
    }
  }
}
