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
import java.util.TreeSet;
import java.util.Set;

/** The two calls of Prometheus's HTTP API the live check needs, blocking, each with a deadline. */
public final class LivePrometheus {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Outcome of one instant query: the series returned, or why Prometheus (or the network) refused. */
  public record Answer(boolean accepted, String error, String resultType, List<JsonNode> series) {

    static Answer error(String message) {
      return new Answer(false, message, null, List.of());
    }
  }

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  public LivePrometheus(URI base, Duration timeout) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  public URI base() {
    return base;
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

  /** GET /api/v1/label/__name__/values: every metric name Prometheus holds. */
  public Set<String> metricNames() throws ApiException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("api/v1/label/__name__/values"))
        .timeout(timeout).GET().build();
    Set<String> names = new TreeSet<>();
    send(request).path("data").forEach(n -> names.add(n.asText()));
    return names;
  }

  private JsonNode send(HttpRequest request) throws ApiException {
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

  public static final class ApiException extends Exception {
    ApiException(String message) {
      super(message);
    }
  }
}
