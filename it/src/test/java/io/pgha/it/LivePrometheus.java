package io.pgha.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.lab.client.Http;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test cluster's Prometheus, through the few calls of its HTTP API the live checks need. A call
 * that fails throws an {@link AssertionError} naming the call and Prometheus's answer.
 */
final class LivePrometheus {
  private static final Pattern SCRAPE_INTERVAL =
      Pattern.compile("(?m)^\\s*scrape_interval:\\s*(\\d+)(ms|s|m)\\s*$");

  private final Http http = new Http(Duration.ofSeconds(10));
  private final String base;

  LivePrometheus(String baseUrl) {
    this.base = baseUrl;
  }

  static LivePrometheus of(TestCluster cluster) {
    return new LivePrometheus(cluster.topology().prometheus().url());
  }

  String url() {
    return base;
  }

  /** Every metric name Prometheus holds ({@code /api/v1/label/__name__/values}). */
  Set<String> metricNames() {
    Set<String> names = new TreeSet<>();
    data("/api/v1/label/__name__/values").forEach(n -> names.add(n.asText()));
    return names;
  }

  /** The series of an instant query (a vector; a scalar counts as one series). */
  List<JsonNode> query(String promql) {
    JsonNode data = data("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    List<JsonNode> series = new ArrayList<>();
    if ("scalar".equals(data.path("resultType").asText())) {
      series.add(data.path("result"));
    } else {
      data.path("result").forEach(series::add);
    }
    return series;
  }

  /** The single value of a query returning exactly one series, or NaN when it returns none. */
  double value(String promql) {
    List<JsonNode> series = query(promql);
    if (series.isEmpty()) {
      return Double.NaN;
    }
    if (series.size() > 1) {
      throw new AssertionError(promql + " returned " + series.size() + " series, expected one: " + series);
    }
    return Double.parseDouble(series.get(0).path("value").path(1).asText());
  }

  /** The rule groups as Prometheus loaded them ({@code /api/v1/rules}). */
  JsonNode ruleGroups() {
    return data("/api/v1/rules").path("groups");
  }

  /** The global scrape interval of the running configuration. */
  Duration scrapeInterval() {
    String yaml = data("/api/v1/status/config").path("yaml").asText();
    Matcher m = SCRAPE_INTERVAL.matcher(yaml);
    if (!m.find()) {
      throw new AssertionError("no global scrape_interval in Prometheus's configuration:\n" + yaml);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
  }

  private JsonNode data(String path) {
    Http.Response r = http.get(base + path);
    JsonNode body = r.json();
    if (!r.ok() || !"success".equals(body.path("status").asText())) {
      throw new AssertionError("Prometheus " + path + ": HTTP " + r.status() + " " + r.body());
    }
    return body.path("data");
  }
}
