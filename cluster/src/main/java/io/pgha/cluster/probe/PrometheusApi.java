package io.pgha.cluster.probe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Prometheus's HTTP API: the state of its active scrape targets. */
public final class PrometheusApi {
  private final Http http;

  public PrometheusApi(Http http) {
    this.http = http;
  }

  /** One active target: job, instance and health ("up", "down", "unknown"). */
  public record Target(String job, String instance, String health, String lastError) {
    public boolean up() {
      return "up".equals(health);
    }
  }

  public Optional<List<Target>> activeTargets(String baseUrl) {
    return http.getJson(baseUrl + "/api/v1/targets?state=active").map(PrometheusApi::parseTargets);
  }

  static List<Target> parseTargets(JsonNode json) {
    List<Target> out = new ArrayList<>();
    for (JsonNode t : json.path("data").path("activeTargets")) {
      out.add(new Target(t.path("labels").path("job").asText(),
          t.path("labels").path("instance").asText(), t.path("health").asText(),
          t.path("lastError").asText("")));
    }
    return out;
  }
}
