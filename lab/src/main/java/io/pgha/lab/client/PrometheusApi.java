package io.pgha.lab.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.lab.alerts.AlertJson;
import io.pgha.lab.alerts.PrometheusAlert;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Prometheus's HTTP API: the state of its active scrape targets, and its pending and firing alerts. */
public final class PrometheusApi {
  private final Http http;

  public PrometheusApi(Http http) {
    this.http = http;
  }

  /**
   * One active target: job, instance, health ("up", "down", "unknown") and when it was last
   * scraped (null before the first scrape).
   */
  public record Target(String job, String instance, String health, String lastError,
      Instant lastScrape) {
    public boolean up() {
      return "up".equals(health);
    }
  }

  public Optional<List<Target>> activeTargets(String baseUrl) {
    return http.getJson(baseUrl + "/api/v1/targets?state=active").map(PrometheusApi::parseTargets);
  }

  /**
   * The pending and firing alerts ({@code GET /api/v1/alerts}). Fails with an {@link IOException}
   * whose message says what went wrong: refused, timed out, an HTTP status, or a body that is not
   * the alerts API's.
   */
  public List<PrometheusAlert> alerts(String baseUrl) throws IOException {
    String url = baseUrl + "/api/v1/alerts";
    Http.Response r = http.get(url);
    if (r.status() == 0) {
      throw new IOException(r.body());
    }
    if (r.status() != 200) {
      throw new IOException("HTTP " + r.status() + " from " + url);
    }
    try {
      return AlertJson.prometheusAlerts(r.body());
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  static List<Target> parseTargets(JsonNode json) {
    List<Target> out = new ArrayList<>();
    for (JsonNode t : json.path("data").path("activeTargets")) {
      out.add(new Target(t.path("labels").path("job").asText(),
          t.path("labels").path("instance").asText(), t.path("health").asText(),
          t.path("lastError").asText(""), instant(t.path("lastScrape").asText(""))));
    }
    return out;
  }

  private static Instant instant(String text) {
    try {
      Instant i = Instant.parse(text);
      return i.getEpochSecond() <= 0 ? null : i; // "0001-01-01T00:00:00Z": never scraped
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
