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
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reads Patroni's REST API: {@code /cluster}, {@code /patroni}, {@code /history} and {@code /config} of one member,
 * each with its own timeout. A member that cannot be reached fails the future with the transport's
 * exception; one that answers something Patroni would not fails it with
 * {@link UnexpectedResponseException}.
 */
final class PatroniClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SNIPPET = 60;

  private final Vertx vertx;
  private final WebClientOptions options;
  /** Replaced when the TLS files change: TLS 1.2 would otherwise resume a session made with the old certificate. */
  private WebClient client;
  private long tlsGeneration;
  private final Optional<PatroniConfig.Credentials> credentials;
  private final TlsMaterial tls;

  PatroniClient(Vertx vertx, Optional<PatroniConfig.Credentials> credentials, PatroniConfig.Tls tlsConfig) {
    // Every handshake uses the files as they are then: Patroni closes each connection, so a
    // certificate replaced on disk is used from the next request on.
    this.tls = TlsMaterial.client(tlsConfig.files(), tlsConfig.verifyServer());
    this.vertx = vertx;
    this.options = new WebClientOptions()
        .setUserAgent("pgha-exporter-patroni")
        .setFollowRedirects(false)
        // Patroni's REST server closes every connection after its response (HTTP/1.0).
        .setKeepAlive(false)
        .setTrustOptions(TrustOptions.wrap(tls.trustManager()))
        .setKeyCertOptions(KeyCertOptions.wrap(tls.keyManager()))
        .setVerifyHost(tlsConfig.verifyServer())
        // Patroni's REST server (Python's ssl) ends a TLS 1.3 connection from the JDK's TLS right
        // after the handshake, before answering: seen with Patroni 3.0.2 and verify_client. TLS 1.2
        // is what every Patroni serves.
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.2"));
    this.client = WebClient.create(vertx, options);
    this.credentials = credentials;
  }

  /** {@code GET <base>/cluster}. */
  Future<PatroniCluster> cluster(URI base, long timeoutMillis) {
    return get(base.resolve("/cluster"), timeoutMillis, body -> PatroniJson.cluster(JSON.readTree(body)));
  }

  /** {@code GET /patroni} at the member's {@code api_url} (which already ends in /patroni). */
  Future<PatroniStatus> status(URI apiUrl, long timeoutMillis) {
    return get(apiUrl, timeoutMillis, body -> PatroniJson.status(JSON.readTree(body)));
  }

  /** {@code GET <base>/history}, folded as it is read: the history only grows, the summary does not. */
  Future<HistorySummary> history(URI base, long timeoutMillis) {
    return get(base.resolve("/history"), timeoutMillis, body -> {
      HistorySummary.Tally tally = new HistorySummary.Tally();
      try (JsonParser parser = JSON.createParser(body)) {
        PatroniJson.history(parser, tally);
      }
      return tally.summary();
    });
  }

  /** {@code GET <base>/config}: the dynamic configuration in the DCS. */
  Future<PatroniDynamicConfig> config(URI base, long timeoutMillis) {
    return get(base.resolve("/config"), timeoutMillis, body -> PatroniJson.config(JSON.readTree(body)));
  }

  /** Reads a response body; Jackson's exceptions become {@link UnexpectedResponseException}s. */
  private interface BodyReader<T> {
    T read(byte[] body) throws java.io.IOException;
  }

  private <T> Future<T> get(URI url, long timeoutMillis, BodyReader<T> reader) {
    if (url.getScheme().equals("https")) {
      try {
        renewAfterRotation(tls.check());
      } catch (TlsFileException e) {
        return Future.failedFuture(e);
      }
    }
    HttpRequest<Buffer> request = current().getAbs(url.toString())
        .connectTimeout(timeoutMillis)
        .idleTimeout(timeoutMillis)
        .putHeader("Accept", "application/json");
    // Patroni closes every connection after its answer, so each request is a reconnect and reads
    // the password file again (a few bytes from the page cache): a rotated password just works.
    credentials.ifPresent(c -> request.basicAuthentication(c.username(), c.passwordFile().read()));
    // The idle timeout alone would let a member that trickles bytes hold the scrape; this bounds
    // the whole exchange.
    return request.send().timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(tls.explained(e)))
        .map(response -> parse(url, response, reader));
  }

  private static <T> T parse(URI url, HttpResponse<Buffer> response, BodyReader<T> reader) {
    String endpoint = url.getPath();
    if (response.statusCode() != 200) {
      String hint = response.statusCode() == 401 || response.statusCode() == 403
          ? " (check patroni username and password_file)" : "";
      throw new UnexpectedResponseException(endpoint + ": HTTP " + response.statusCode() + hint);
    }
    Buffer body = response.body();
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
      client = WebClient.create(vertx, options);
    }
    tlsGeneration = generation;
  }

  private synchronized WebClient current() {
    return client;
  }

  @Override
  public synchronized void close() {
    client.close();
  }
}
