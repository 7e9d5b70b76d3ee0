package io.pgha.lab.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.lab.client.Http;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertReceiverTest {

  @Test
  void appendsEachNotificationAsOneJsonLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("alerts/notifications.jsonl");
    try (AlertReceiver r = new AlertReceiver(new InetSocketAddress("127.0.0.1", 0), file)) {
      r.start();
      String url = "http://127.0.0.1:" + r.port() + "/alerts";
      Http http = new Http();
      assertThat(http.postJson(url, "{\"status\":\"firing\",\n \"alerts\":[{\"labels\":{\"a\":\"1\"}}]}")
          .status()).isEqualTo(200);
      assertThat(http.postJson(url, "{\"status\":\"resolved\"}").status()).isEqualTo(200);
      assertThat(Files.readAllLines(file)).containsExactly(
          "{\"status\":\"firing\",\"alerts\":[{\"labels\":{\"a\":\"1\"}}]}",
          "{\"status\":\"resolved\"}");
    }
  }

  @Test
  void refusesWhatIsNotANotification(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("n.jsonl");
    try (AlertReceiver r = new AlertReceiver(new InetSocketAddress("127.0.0.1", 0), file)) {
      r.start();
      String base = "http://127.0.0.1:" + r.port();
      Http http = new Http();
      assertThat(http.postJson(base + "/alerts", "not json").status()).isEqualTo(400);
      assertThat(http.postJson(base + "/alerts", "[1,2]").status()).isEqualTo(400);
      assertThat(http.get(base + "/alerts").status()).isEqualTo(405);
      assertThat(http.get(base + "/elsewhere").status()).isEqualTo(404);
      assertThat(http.get(base + "/").status()).isEqualTo(200);
      assertThat(Files.exists(file) ? Files.readAllLines(file) : List.of()).isEmpty();
    }
  }
}
