package io.pgha.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.promkit.Exposition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the stack from the host, only through ports compose published on 127.0.0.1: Patroni's REST
 * API of each member, HAProxy's stats CSV and the exporters' /metrics.
 */
final class StackProbe {
  private static final String HOST = "127.0.0.1";
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  /** A member as Patroni's /cluster lists it. */
  record Member(String name, String role, String state) {}

  /** A scrape target as Prometheus's /api/v1/targets lists it. */
  record Target(String job, String instance, String health) {}

  private final Map<String, Integer> restPorts;
  private final int haproxyStatsPort;
  private final int prometheusPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final ObjectMapper json = new ObjectMapper();

  StackProbe(Map<String, Integer> restPorts, int haproxyStatsPort, int prometheusPort) {
    this.restPorts = Map.copyOf(restPorts);
    this.haproxyStatsPort = haproxyStatsPort;
    this.prometheusPort = prometheusPort;
  }

  /** The members as the first answering member sees them (a stopped member's port is gone). */
  List<Member> cluster() throws IOException, InterruptedException {
    IOException last = null;
    for (int port : restPorts.values()) {
      try {
        JsonNode members = json.readTree(get(port, "/cluster")).path("members");
        List<Member> out = new ArrayList<>();
        members.forEach(m -> out.add(new Member(m.path("name").asText(), m.path("role").asText(), m.path("state").asText())));
        return out;
      } catch (IOException e) {
        last = e;
      }
    }
    throw new IOException("no Patroni REST API answers on " + restPorts, last);
  }

  Optional<String> runningLeader() throws IOException, InterruptedException {
    return cluster().stream()
        .filter(m -> m.role().equals("leader") && m.state().equals("running"))
        .map(Member::name)
        .findFirst();
  }

  /** application_name of each replica streaming from {@code leader}, from the leader's /patroni. */
  List<String> streamingFrom(String leader) throws IOException, InterruptedException {
    JsonNode replication = json.readTree(get(restPorts.get(leader), "/patroni")).path("replication");
    List<String> out = new ArrayList<>();
    replication.forEach(r -> {
      if (r.path("state").asText().equals("streaming")) {
        out.add(r.path("application_name").asText());
      }
    });
    return out;
  }

  /** Servers HAProxy has UP (fully, not "UP 1/2" going down) in a backend, from its stats CSV. */
  List<String> haproxyUp(String backend) throws IOException, InterruptedException {
    String[] lines = get(haproxyStatsPort, "/;csv").split("\n");
    List<String> header = List.of(lines[0].replaceFirst("^# ", "").split(","));
    int px = header.indexOf("pxname");
    int sv = header.indexOf("svname");
    int status = header.indexOf("status");
    List<String> up = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String[] row = lines[i].split(",", -1);
      if (row.length > status && row[px].equals(backend) && !row[sv].equals("FRONTEND")
          && !row[sv].equals("BACKEND") && row[status].equals("UP")) {
        up.add(row[sv]);
      }
    }
    return up;
  }

  List<Target> prometheusTargets() throws IOException, InterruptedException {
    JsonNode active = json.readTree(get(prometheusPort, "/api/v1/targets?state=active")).path("data").path("activeTargets");
    List<Target> out = new ArrayList<>();
    active.forEach(t -> out.add(new Target(t.path("labels").path("job").asText(),
        t.path("labels").path("instance").asText(), t.path("health").asText())));
    return out;
  }

  Exposition metrics(int port) throws IOException, InterruptedException {
    Exposition page = Exposition.parse(get(port, "/metrics"));
    if (!page.skipped().isEmpty()) {
      throw new IllegalStateException("unreadable lines in /metrics of port " + port + ": " + page.skipped());
    }
    return page;
  }

  private String get(int port, String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + path))
        .timeout(TIMEOUT)
        .header("Accept", "text/plain; version=0.0.4, application/json")
        .GET()
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET :" + port + path + " answered " + response.statusCode());
    }
    return response.body();
  }
}
