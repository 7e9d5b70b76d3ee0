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
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Reads Patroni's REST API: {@code /cluster}, {@code /patroni}, {@code /history} and {@code /config} of one member,
 * each with its own timeout. A member that cannot be reached fails the future with the transport's
 * exception; one that answers something Patroni would not fails it with
 * {@link UnexpectedResponseException}.
 *
 * <p>Each request goes out on a connection of its own ({@link PatroniHttp}), as Patroni closes
 * every connection after its answer.
 */
final class PatroniClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SNIPPET = 60;
  private static final String USER_AGENT = "pgha-exporter-patroni";

  private final PatroniHttp http;
  private final Optional<PatroniConfig.Credentials> credentials;
  private final TlsMaterial tls;
  private final boolean verifyServer;
  /** Made again when the TLS files change: TLS 1.2 would otherwise resume a session made with the old certificate. */
  private SSLContext sslContext;
  private long tlsGeneration;

  PatroniClient(Vertx vertx, Optional<PatroniConfig.Credentials> credentials, PatroniConfig.Tls tlsConfig) {
    // Every handshake uses the files as they are then: Patroni closes each connection, so a
    // certificate replaced on disk is used from the next request on.
    this.tls = TlsMaterial.client(tlsConfig.files(), tlsConfig.verifyServer());
    this.verifyServer = tlsConfig.verifyServer();
    this.http = new PatroniHttp(vertx);
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

  /** {@code GET path} of the server {@code server} names (only its scheme, host and port are used). */
  private <T> Future<T> get(URI server, String path, long timeoutMillis, BodyReader<T> reader) {
    SSLContext context = null;
    if (server.getScheme().equals("https")) {
      try {
        context = sslContext(tls.check());
      } catch (TlsFileException e) {
        return Future.failedFuture(e);
      }
    }
    Map<CharSequence, String> headers = new LinkedHashMap<>();
    headers.put(HttpHeaderNames.ACCEPT, "application/json");
    headers.put(HttpHeaderNames.USER_AGENT, USER_AGENT);
    // Patroni closes every connection after its answer, so each request is a reconnect and reads
    // the password file again (a few bytes from the page cache): a rotated password just works.
    credentials.ifPresent(c -> headers.put(HttpHeaderNames.AUTHORIZATION, basic(c.username(), c.passwordFile().read())));
    return http.get(server, path, headers, timeoutMillis, context, verifyServer)
        .recover(e -> Future.failedFuture(tls.explained(e)))
        .map(answer -> parse(path, answer, reader));
  }

  private static String basic(String username, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static <T> T parse(String endpoint, PatroniHttp.Answer answer, BodyReader<T> reader) {
    if (answer.status() != 200) {
      String hint = answer.status() == 401 || answer.status() == 403
          ? " (check patroni username and password_file)" : "";
      throw new UnexpectedResponseException(endpoint + ": HTTP " + answer.status() + hint);
    }
    byte[] body = answer.body();
    if (body.length == 0) {
      throw new UnexpectedResponseException(endpoint + ": empty body");
    }
    try {
      return reader.read(body);
    } catch (JsonProcessingException e) {
      throw new UnexpectedResponseException(endpoint + ": not JSON, starts with \"" + snippet(body) + "\"");
    } catch (java.io.IOException e) {
      throw new UnexpectedResponseException(endpoint + ": unreadable body: " + e.getMessage());
    }
  }

  private static String snippet(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, SNIPPET), StandardCharsets.UTF_8);
    return text.replaceAll("[\\p{Cntrl}]", " ").strip();
  }

  /** The TLS context for TLS material of generation {@code generation}: a new one when the files changed. */
  private synchronized SSLContext sslContext(long generation) {
    if (sslContext == null || generation != tlsGeneration) {
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {tls.keyManager()}, new TrustManager[] {tls.trustManager()}, null);
        sslContext = context;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("no TLS in this JVM: " + e.getMessage(), e);
      }
      tlsGeneration = generation;
    }
    return sslContext;
  }

  @Override
  public void close() {
    // Nothing kept: every request's connection closes with its answer (or its failure).
  }
}
