package io.pgha.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Reads Patroni's leader key from etcd's JSON gateway. Serializable reads: any live member answers
 * from its own copy, also without quorum (when the key cannot change anyway), and a dead member is
 * skipped at once.
 */
final class LeaderKeyPoller implements Runnable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofMillis(300)).build();

  private final List<Topology.EtcdMember> etcd;
  private final String body;
  private final LongSupplier clock;
  private final Recorder<LeaderKeySample> into;
  private int preferred;

  LeaderKeyPoller(List<Topology.EtcdMember> etcd, String leaderKey, LongSupplier clock,
                  Recorder<LeaderKeySample> into) {
    this.etcd = List.copyOf(etcd);
    this.body = "{\"key\":\"" + Base64.getEncoder().encodeToString(leaderKey.getBytes(StandardCharsets.UTF_8))
        + "\",\"serializable\":true}";
    this.clock = clock;
    this.into = into;
  }

  static String leaderKey(Topology t) {
    return t.namespace() + t.scope() + "/leader";
  }

  @Override
  public void run() {
    for (int i = 0; i < etcd.size(); i++) {
      int index = (preferred + i) % etcd.size();
      try {
        HttpRequest request = HttpRequest.newBuilder(URI.create(etcd.get(index).clientUrl() + "/v3/kv/range"))
            .timeout(Duration.ofMillis(500)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          continue;
        }
        preferred = index;
        into.add(new LeaderKeySample(clock.getAsLong(), true, holder(JSON.readTree(response.body()))));
        return;
      } catch (IOException e) {
        // next member
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    into.add(new LeaderKeySample(clock.getAsLong(), false, null));
  }

  static String holder(JsonNode range) {
    JsonNode kvs = range.path("kvs");
    if (!kvs.isArray() || kvs.isEmpty()) {
      return null;
    }
    String value = kvs.get(0).path("value").asText("");
    return value.isEmpty() ? null : new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }
}
