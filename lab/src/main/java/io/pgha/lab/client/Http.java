package io.pgha.lab.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.common.ErrorText;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLParameters;

/**
 * Blocking HTTP for the command line. Every call is bounded by a short timeout and failures come
 * back as {@code Optional.empty()}/status 0, because every caller polls until something is ready.
 * https URLs of a TLS cluster just work ({@link ClusterTls}): its CA is trusted, its client
 * certificate presented, its exporters logged in to.
 */
public final class Http {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

  private final HttpClient client;
  /** Built at the first https request: a client costs a selector thread, and most clusters are plain. */
  private HttpClient tlsClient;
  private final Duration requestTimeout;

  /**
   * Every request bounded by {@code requestTimeout}; a plain connection by that or 1 s, whichever
   * is less. An https connection gets the whole request's budget: the JDK's connection budget
   * covers the TLS handshake too, which the first handshakes of a JVM, or a server busy after a
   * failover, on a loaded machine, made miss 1 s twice in a row (seen with {@code pgha events}).
   */
  public Http(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
    this.client = newClient(requestTimeout.compareTo(CONNECT_TIMEOUT) < 0 ? requestTimeout : CONNECT_TIMEOUT);
  }

  /**
   * A JDK HTTP client as lab's own, for callers that need one of their own (their own headers,
   * timing, concurrency): HTTP/1.1, the cluster's TLS. Pair it with {@link #authorize}.
   */
  public static HttpClient newClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .sslContext(ClusterTls.sslContext())
        // TLS 1.2: Patroni's REST server (Python's ssl, verify_client optional) closes a TLS 1.3
        // connection from the JDK's client right after the handshake, and the JDK's client then
        // waits forever, past its own request timeout.
        .sslParameters(new SSLParameters(null, new String[] {"TLSv1.2"}))
        .build();
  }

  /** Adds the login a TLS cluster's exporter asks for, when {@code uri} is one. */
  public static HttpRequest.Builder authorize(HttpRequest.Builder request, URI uri) {
    ClusterTls.authorization(uri).ifPresent(value -> request.header("Authorization", value));
    return request;
  }

  public Http() {
    this(Duration.ofSeconds(2));
  }

  /** A response: status 0 means no answer at all (refused, timed out); the body then says which. */
  public record Response(int status, String body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        return JSON.missingNode();
      }
    }
  }

  public Response get(String url) {
    return send(request(url).GET(), requestTimeout);
  }

  /** GET asking for a media type ({@code Accept}). */
  public Response get(String url, String accept) {
    return send(request(url).header("Accept", accept).GET(), requestTimeout);
  }

  public Response options(String url) {
    return send(request(url).method("OPTIONS", HttpRequest.BodyPublishers.noBody()), requestTimeout);
  }

  private static HttpRequest.Builder request(String url) {
    URI uri = URI.create(url);
    return authorize(HttpRequest.newBuilder(uri), uri);
  }

  public Response postJson(String url, String json) {
    return postJson(url, json, null, requestTimeout);
  }

  /** POST with optional basic auth ({@code user:password}) and its own timeout. */
  public Response postJson(String url, String json, String basicAuth, Duration timeout) {
    return sendJson("POST", url, json, basicAuth, timeout);
  }

  /** PATCH (Patroni's {@code /config}) with optional basic auth and its own timeout. */
  public Response patchJson(String url, String json, String basicAuth, Duration timeout) {
    return sendJson("PATCH", url, json, basicAuth, timeout);
  }

  private Response sendJson(String method, String url, String json, String basicAuth, Duration timeout) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(json));
    if (basicAuth != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basicAuth.getBytes()));
    }
    return send(b, timeout);
  }

  public Optional<JsonNode> getJson(String url) {
    Response r = get(url);
    return r.ok() ? Optional.of(r.json()) : Optional.empty();
  }

  private Response send(HttpRequest.Builder builder, Duration timeout) {
    HttpRequest request = builder.timeout(timeout).build();
    HttpClient via = "https".equals(request.uri().getScheme()) ? tlsClient() : client;
    try {
      return exchange(via, request, timeout);
    } catch (HttpConnectTimeoutException e) {
      return new Response(0, "no connection within " + via.connectTimeout().orElse(CONNECT_TIMEOUT).toMillis() + " ms");
    } catch (HttpTimeoutException e) {
      return new Response(0, "no answer within " + timeout.toMillis() + " ms");
    } catch (ConnectException e) {
      return new Response(0, "connection refused");
    } catch (IOException e) {
      return new Response(0, ErrorText.describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Response(0, "interrupted");
    }
  }

  private synchronized HttpClient tlsClient() {
    if (tlsClient == null) {
      tlsClient = newClient(requestTimeout);
    }
    return tlsClient;
  }

  private static Response exchange(HttpClient client, HttpRequest request, Duration timeout)
      throws IOException, InterruptedException {
    // Bounded here as well: the JDK's own request timeout does not cover every stage of a TLS exchange.
    CompletableFuture<HttpResponse<String>> pending = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> r;
    try {
      r = pending.get(timeout.toMillis() + client.connectTimeout().orElse(CONNECT_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new HttpTimeoutException("no answer within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(ErrorText.describe(e.getCause()), e.getCause());
    }
    return new Response(r.statusCode(), r.body());
  }
}
