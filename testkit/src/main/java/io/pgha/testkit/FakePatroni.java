package io.pgha.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for one member's REST API on 127.0.0.1: answers each path with a fixed response, or
 * never answers at all (to be cut by the deadline). What it serves can change between scrapes.
 */
public final class FakePatroni implements AutoCloseable {
  /** How a path is answered. */
  public record Reply(int status, String contentType, String body, boolean hang, String requiredAuthorization) {
    public static Reply json(String body) {
      return new Reply(200, "application/json", body, false, null);
    }

    public static Reply raw(int status, String contentType, String body) {
      return new Reply(status, contentType, body, false, null);
    }

    public static Reply never() {
      return new Reply(0, null, null, true, null);
    }

    public Reply withAuthorization(String header) {
      return new Reply(status, contentType, body, hang, header);
    }
  }

  private final HttpServer server;
  private final Map<String, Reply> replies = new ConcurrentHashMap<>();
  private volatile boolean closeEachConnection;
  public final Map<String, Integer> hits = new ConcurrentHashMap<>();
  /** The serial number (hex) of the client certificate of the last request over TLS that had one. */
  public volatile String lastClientCertificate;

  public FakePatroni(Vertx vertx, HttpServerOptions options) throws Exception {
    server = vertx.createHttpServer(new HttpServerOptions(options).setHost("127.0.0.1").setPort(0))
        .requestHandler(this::handle).listen().await(10, TimeUnit.SECONDS);
  }

  public FakePatroni(Vertx vertx) throws Exception {
    this(vertx, new HttpServerOptions());
  }

  public int port() {
    return server.actualPort();
  }

  public String base() {
    return "127.0.0.1:" + port();
  }

  public FakePatroni reply(String path, Reply reply) {
    replies.put(path, reply);
    return this;
  }

  /** Like Patroni itself: every answer closes its connection ({@code Connection: close}). */
  public FakePatroni closingEachConnection() {
    closeEachConnection = true;
    return this;
  }

  public FakePatroni clear() {
    replies.clear();
    return this;
  }

  private void handle(HttpServerRequest request) {
    hits.merge(request.path(), 1, Integer::sum);
    if (request.isSSL()) {
      try {
        var certificates = request.connection().peerCertificates();
        if (!certificates.isEmpty() && certificates.get(0) instanceof java.security.cert.X509Certificate x) {
          lastClientCertificate = x.getSerialNumber().toString(16);
        }
      } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
        // no client certificate on this connection
      }
    }
    if (closeEachConnection) {
      request.response().putHeader("Connection", "close");
    }
    Reply reply = replies.get(request.path());
    if (reply == null) {
      request.response().setStatusCode(404).end("not found\n");
      return;
    }
    if (reply.hang()) {
      return;
    }
    if (reply.requiredAuthorization() != null && !reply.requiredAuthorization().equals(request.getHeader("Authorization"))) {
      request.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"patroni\"").end();
      return;
    }
    request.response().setStatusCode(reply.status()).putHeader("Content-Type", reply.contentType()).end(reply.body());
  }

  @Override
  public void close() {
    try {
      server.close().await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the stand-in did not close", e);
    }
  }
}
