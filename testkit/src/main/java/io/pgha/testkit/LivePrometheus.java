package io.pgha.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A live Prometheus through the calls of its HTTP API the tests need (the dashboards' live query check,
 * the rules' and dashboards' live tests): blocking, each with a deadline. A call that fails throws an
 * {@link ApiException} naming the call and Prometheus's answer; {@link #query} returns the failure.
 */
public final class LivePrometheus {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SCRAPE_INTERVAL =
      Pattern.compile("(?m)^\\s*scrape_interval:\\s*(\\d+)(ms|s|m)\\s*$");

  /** Outcome of one instant query: the series returned, or why Prometheus (or the network) refused. */
  public record Answer(boolean accepted, String error, String resultType, List<JsonNode> series) {

    static Answer error(String message) {
      return new Answer(false, message, null, List.of());
    }
  }

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  /** The Prometheus at {@code baseUrl}, every call bounded by 10 s. */
  public LivePrometheus(String baseUrl) {
    this(URI.create(baseUrl), Duration.ofSeconds(10));
  }

  public LivePrometheus(URI base, Duration timeout) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  public URI base() {
    return base;
  }

  /** The base URL without its trailing slash, as Prometheus's address is written elsewhere. */
  public String url() {
    String s = base.toString();
    return s.substring(0, s.length() - 1);
  }

  /** POST /api/v1/query (POST so long expressions do not hit URL length limits). */
  public Answer query(String promql) {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("api/v1/query"))
        .timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
        .build();
    JsonNode body;
    try {
      body = send(request);
    } catch (ApiException e) {
      return Answer.error(e.getMessage());
    }
    JsonNode data = body.path("data");
    String type = data.path("resultType").asText();
    List<JsonNode> series = new ArrayList<>();
    switch (type) {
      case "vector", "matrix" -> data.path("result").forEach(series::add);
      case "scalar", "string" -> series.add(data.path("result"));
      default -> {
        return Answer.error("unexpected resultType '" + type + "'");
      }
    }
    return new Answer(true, null, type, series);
  }

  /** The series of an instant query (a scalar counts as one); fails when Prometheus refuses it. */
  public List<JsonNode> series(String promql) {
    Answer answer = query(promql);
    if (!answer.accepted()) {
      throw new ApiException("query " + promql + ": " + answer.error());
    }
    return answer.series();
  }

  /** The single value of a query returning exactly one series, or NaN when it returns none. */
  public double value(String promql) {
    List<JsonNode> series = series(promql);
    if (series.isEmpty()) {
      return Double.NaN;
    }
    if (series.size() > 1) {
      throw new ApiException(promql + " returned " + series.size() + " series, expected one: " + series);
    }
    JsonNode sample = series.get(0).has("value") ? series.get(0).path("value") : series.get(0);
    return Double.parseDouble(sample.path(1).asText());
  }

  /** GET /api/v1/label/__name__/values: every metric name Prometheus holds. */
  public Set<String> metricNames() {
    Set<String> names = new TreeSet<>();
    get("api/v1/label/__name__/values").path("data").forEach(n -> names.add(n.asText()));
    return names;
  }

  /** The rule groups as Prometheus loaded them ({@code GET /api/v1/rules}). */
  public JsonNode ruleGroups() {
    return get("api/v1/rules").path("data").path("groups");
  }

  /**
   * {@code POST /-/reload}: Prometheus rereads its configuration and rule files (it runs with
   * {@code --web.enable-lifecycle}). Fails with Prometheus's answer when it refuses, for example
   * on a rule file that does not parse.
   */
  public void reload() {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("-/reload")).timeout(timeout)
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new ApiException("reload: HTTP " + response.statusCode() + ": " + abbreviate(response.body()));
      }
    } catch (IOException e) {
      throw new ApiException("cannot reach " + request.uri() + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted");
    }
  }

  /** The global scrape interval of the running configuration ({@code GET /api/v1/status/config}). */
  public Duration scrapeInterval() {
    String yaml = get("api/v1/status/config").path("data").path("yaml").asText();
    Matcher m = SCRAPE_INTERVAL.matcher(yaml);
    if (!m.find()) {
      throw new ApiException("no global scrape_interval in Prometheus's configuration:\n" + yaml);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
  }

  private JsonNode get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build());
  }

  private JsonNode send(HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
      throw new ApiException("cannot reach " + request.uri() + ": " + why);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted");
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new ApiException("HTTP " + response.statusCode() + ", not Prometheus API JSON: " + abbreviate(response.body()));
    }
    if (!"success".equals(body.path("status").asText())) {
      throw new ApiException(body.path("errorType").asText("HTTP " + response.statusCode()) + ": "
          + body.path("error").asText(abbreviate(response.body())));
    }
    return body;
  }

  private static String abbreviate(String s) {
    String oneLine = s.replaceAll("\\s+", " ").strip();
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
  }

  /** A call Prometheus (or the network) refused; the message says which and why. */
  public static final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ApiException(String message) {
      super(message);
    }
  }
}
