package io.pgha.patroni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.patroni.api.PatroniCluster;
import io.pgha.patroni.api.PatroniDynamicConfig;
import io.pgha.patroni.api.PatroniJson;
import io.pgha.patroni.api.PatroniStatus;
import io.pgha.patroni.api.UnexpectedResponseException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
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

  private final WebClient client;
  private final Optional<PatroniConfig.Credentials> credentials;

  PatroniClient(Vertx vertx, Optional<PatroniConfig.Credentials> credentials, Optional<Path> caFile) {
    WebClientOptions options = new WebClientOptions()
        .setUserAgent("pgha-exporter-patroni")
        .setFollowRedirects(false)
        // Patroni's REST server closes every connection after its response (HTTP/1.0). Keeping
        // connections alive (for a proxy in front of Patroni) made scrapes over TLS miss their
        // deadline in PatroniExporterTest, cause not found yet: off until it is.
        .setKeepAlive(false);
    caFile.ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
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
    HttpRequest<Buffer> request = client.getAbs(url.toString())
        .connectTimeout(timeoutMillis)
        .idleTimeout(timeoutMillis)
        .putHeader("Accept", "application/json");
    // Patroni closes every connection after its answer, so each request is a reconnect and reads
    // the password file again (a few bytes from the page cache): a rotated password just works.
    credentials.ifPresent(c -> request.basicAuthentication(c.username(), c.passwordFile().read()));
    // The idle timeout alone would let a member that trickles bytes hold the scrape; this bounds
    // the whole exchange.
    return request.send().timeout(timeoutMillis, TimeUnit.MILLISECONDS).map(response -> parse(url, response, reader));
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

  @Override
  public void close() {
    client.close();
  }
}
