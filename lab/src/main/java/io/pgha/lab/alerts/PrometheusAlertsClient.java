package io.pgha.lab.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;

/** Fetches {@code GET /api/v1/alerts} from Prometheus, with a deadline. */
public final class PrometheusAlertsClient {

  private final HttpClient http;
  private final Duration timeout;

  public PrometheusAlertsClient(Duration timeout) {
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    this.timeout = timeout;
  }

  /**
   * The pending and firing alerts. Fails with an {@link IOException} whose message says what went
   * wrong (refused, timed out, an HTTP status, or a body that is not the alerts API's).
   */
  public List<PrometheusAlert> alerts(URI prometheus) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(prometheus.resolve("/api/v1/alerts"))
        .timeout(timeout).header("Accept", "application/json").GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new IOException("no answer within " + timeout.toMillis() + " ms", e);
    } catch (java.net.ConnectException e) {
      throw new IOException("connection refused", e);
    } catch (IOException e) {
      throw new IOException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
    }
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode() + " from " + request.uri());
    }
    try {
      return AlertJson.prometheusAlerts(response.body());
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
