package io.pgha.patroni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.common.tls.TlsFileException;
import io.pgha.common.tls.TlsMaterial;
import io.pgha.patroni.api.PatroniCluster;
import io.pgha.patroni.api.PatroniDynamicConfig;
import io.pgha.patroni.api.PatroniJson;
import io.pgha.patroni.api.PatroniStatus;
import io.pgha.patroni.api.UnexpectedResponseException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reads Patroni's REST API: {@code /cluster}, {@code /patroni}, {@code /history} and {@code /config} of one member,
 * each with its own timeout. A member that cannot be reached fails the future with the transport's
 * exception; one that answers something Patroni would not fails it with
 * {@link UnexpectedResponseException}.
 *
 * <p>Vert.x's core HTTP client, not its WebClient: a scrape of a hundred scopes makes 500 requests,
 * and the WebClient's per-request machinery (parsing the URL again, copying headers, its
 * interceptor chain) cost about a tenth of the exporter's CPU there.
 */
final class PatroniClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SNIPPET = 60;
  private static final String USER_AGENT = "pgha-exporter-patroni";

  private final Vertx vertx;
  private final HttpClientOptions options;
  /** Replaced when the TLS files change: TLS 1.2 would otherwise resume a session made with the old certificate. */
  private HttpClientAgent client;
  private long tlsGeneration;
  private final Optional<PatroniConfig.Credentials> credentials;
  private final TlsMaterial tls;

  PatroniClient(Vertx vertx, Optional<PatroniConfig.Credentials> credentials, PatroniConfig.Tls tlsConfig) {
    // Every handshake uses the files as they are then: Patroni closes each connection, so a
    // certificate replaced on disk is used from the next request on.
    this.tls = TlsMaterial.client(tlsConfig.files(), tlsConfig.verifyServer());
    this.vertx = vertx;
    this.options = new HttpClientOptions()
        // Patroni's REST server closes every connection after its response (HTTP/1.0).
        .setKeepAlive(false)
        .setTrustOptions(TrustOptions.wrap(tls.trustManager()))
        .setKeyCertOptions(KeyCertOptions.wrap(tls.keyManager()))
        .setVerifyHost(tlsConfig.verifyServer())
        // Patroni's REST server (Python's ssl) ends a TLS 1.3 connection from the JDK's TLS right
        // after the handshake, before answering: seen with Patroni 3.0.2 and verify_client. TLS 1.2
        // is what every Patroni serves.
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.2"));
    this.client = vertx.createHttpClient(options);
    this.credentials = credentials;
  }

  /** {@code GET <base>/cluster}. */
  Future<PatroniCluster> cluster(URI base, long timeoutMillis) {
    return get(base, "/cluster", timeoutMillis, body -> PatroniJson.cluster(JSON.readTree(body)));
  }

  /** {@code GET /patroni} at the member's {@code api_url} (which already ends in /patroni). */
  Future<PatroniStatus> status(URI apiUrl, long timeoutMillis) {
    return get(apiUrl, apiUrl.getRawPath(), timeoutMillis, body -> PatroniJson.status(JSON.readTree(body)));
  }

  /** {@code GET <base>/history}, folded as it is read: the history only grows, the summary does not. */
  Future<HistorySummary> history(URI base, long timeoutMillis) {
    return get(base, "/history", timeoutMillis, body -> {
      HistorySummary.Tally tally = new HistorySummary.Tally();
      try (JsonParser parser = JSON.createParser(body)) {
        PatroniJson.history(parser, tally);
      }
      return tally.summary();
    });
  }

  /** {@code GET <base>/config}: the dynamic configuration in the DCS. */
  Future<PatroniDynamicConfig> config(URI base, long timeoutMillis) {
    return get(base, "/config", timeoutMillis, body -> PatroniJson.config(JSON.readTree(body)));
  }

  /** Reads a response body; Jackson's exceptions become {@link UnexpectedResponseException}s. */
  private interface BodyReader<T> {
    T read(byte[] body) throws java.io.IOException;
  }

  /** What came back: the status and the whole body. */
  private record Answer(int status, Buffer body) {}

  /** {@code GET path} of the server {@code server} names (only its scheme, host and port are used). */
  private <T> Future<T> get(URI server, String path, long timeoutMillis, BodyReader<T> reader) {
    boolean https = server.getScheme().equals("https");
    if (https) {
      try {
        renewAfterRotation(tls.check());
      } catch (TlsFileException e) {
        return Future.failedFuture(e);
      }
    }
    String host = server.getHost();
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setSsl(https)
        // URI keeps an IPv6 literal's brackets.
        .setHost(host.startsWith("[") ? host.substring(1, host.length() - 1) : host)
        .setPort(server.getPort() >= 0 ? server.getPort() : https ? 443 : 80)
        .setURI(path == null || path.isEmpty() ? "/" : path)
        .setConnectTimeout(timeoutMillis)
        .setIdleTimeout(timeoutMillis)
        .putHeader(HttpHeaders.ACCEPT, "application/json")
        .putHeader(HttpHeaders.USER_AGENT, USER_AGENT);
    // Patroni closes every connection after its answer, so each request is a reconnect and reads
    // the password file again (a few bytes from the page cache): a rotated password just works.
    credentials.ifPresent(c -> request.putHeader(HttpHeaders.AUTHORIZATION, basic(c.username(), c.passwordFile().read())));
    // The idle timeout alone would let a member that trickles bytes hold the scrape; this bounds
    // the whole exchange.
    return current().request(request)
        .compose(sent -> sent.send().onSuccess(headers -> {
          if (https) {
            QuickAck.now(sent.connection());
          }
        }))
        .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body)))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(tls.explained(e)))
        .map(answer -> parse(path, answer, reader));
  }

  private static String basic(String username, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static <T> T parse(String endpoint, Answer answer, BodyReader<T> reader) {
    if (answer.status() != 200) {
      String hint = answer.status() == 401 || answer.status() == 403
          ? " (check patroni username and password_file)" : "";
      throw new UnexpectedResponseException(endpoint + ": HTTP " + answer.status() + hint);
    }
    Buffer body = answer.body();
    if (body == null || body.length() == 0) {
      throw new UnexpectedResponseException(endpoint + ": empty body");
    }
    try {
      return reader.read(body.getBytes());
    } catch (JsonProcessingException e) {
      throw new UnexpectedResponseException(endpoint + ": not JSON, starts with \"" + snippet(body) + "\"");
    } catch (java.io.IOException e) {
      throw new UnexpectedResponseException(endpoint + ": unreadable body: " + e.getMessage());
    }
  }

  private static String snippet(Buffer body) {
    String text = body.getString(0, Math.min(body.length(), SNIPPET), StandardCharsets.UTF_8.name());
    return text.replaceAll("[\\p{Cntrl}]", " ").strip();
  }

  private synchronized void renewAfterRotation(long generation) {
    if (tlsGeneration != 0 && generation != tlsGeneration) {
      client.close();
      client = vertx.createHttpClient(options);
    }
    tlsGeneration = generation;
  }

  private synchronized HttpClientAgent current() {
    return client;
  }

  @Override
  public synchronized void close() {
    client.close();
  }
}
