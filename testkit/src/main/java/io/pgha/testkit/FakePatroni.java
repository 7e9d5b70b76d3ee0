package io.pgha.testkit;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for one member's REST API on 127.0.0.1: answers each path with a fixed response, or
 * never answers at all (to be cut by the deadline). What it serves can change between scrapes.
 */
public final class FakePatroni implements AutoCloseable {
  /** How a path is answered. */
  public record Reply(int status, String contentType, String body, boolean hang, String requiredAuthorization,
      CompletionStage<?> heldUntil) {
    public static Reply json(String body) {
      return new Reply(200, "application/json", body, false, null, null);
    }

    public static Reply raw(int status, String contentType, String body) {
      return new Reply(status, contentType, body, false, null, null);
    }

    public static Reply never() {
      return new Reply(0, null, null, true, null, null);
    }

    public Reply withAuthorization(String header) {
      return new Reply(status, contentType, body, hang, header, heldUntil);
    }

    /** The same answer, sent once {@code gate} completes (as Patroni's {@code /cluster} waits for the DCS). */
    public Reply heldUntil(CompletionStage<?> gate) {
      return new Reply(status, contentType, body, hang, requiredAuthorization, gate);
    }
  }

  private final HttpServer server;
  private final int port;
  private final Map<String, Reply> replies = new ConcurrentHashMap<>();
  private volatile boolean closeEachConnection;
  public final Map<String, Integer> hits = new ConcurrentHashMap<>();
  /** Every request's path as it arrived, in order (with {@link #requests(List)}, the order across members). */
  public final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile List<String> sharedLog;
  /** Holds the port once {@link #refuse()} stopped the server. */
  private Socket holder;
  /** The serial number (hex) of the client certificate of the last request over TLS that had one. */
  public volatile String lastClientCertificate;

  public FakePatroni(Vertx vertx, HttpServerOptions options) throws Exception {
    server = vertx.createHttpServer(new HttpServerOptions(options).setHost("127.0.0.1").setPort(0))
        .requestHandler(this::handle).listen().await(10, TimeUnit.SECONDS);
    port = server.actualPort();
  }

  public FakePatroni(Vertx vertx) throws Exception {
    this(vertx, new HttpServerOptions());
  }

  public int port() {
    return port;
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

  /**
   * Also logs each request, as {@code <port> <path>}, and each answer sent, as
   * {@code <port> <path> answered}, to {@code log}, which several members share: the order in which
   * the members were asked and answered.
   */
  public FakePatroni requests(List<String> log) {
    sharedLog = log;
    return this;
  }

  /**
   * Stops answering as a stopped Patroni does: the server closes and its port stays bound without
   * listening, so a connection is refused. Merely closing would free the port, which another
   * process could then take, or the client's own connection could (a TCP self-connect: the kernel
   * may pick the free port as the source port of a connection to itself).
   */
  public FakePatroni refuse() {
    close();
    // The server's channels close asynchronously: the port may be busy for a moment.
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      Socket socket = new Socket();
      try {
        // Connections the server accepted leave TIME_WAIT entries on the port.
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress("127.0.0.1", port));
        holder = socket;
        return this;
      } catch (IOException e) {
        closeQuietly(socket);
        if (System.nanoTime() > until) {
          throw new UncheckedIOException("could not keep port " + port + " bound", e);
        }
        Pause.millis(20);
      }
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // a bound, unconnected socket
    }
  }

  public FakePatroni clear() {
    replies.clear();
    return this;
  }

  private void handle(HttpServerRequest request) {
    hits.merge(request.path(), 1, Integer::sum);
    requests.add(request.path());
    List<String> log = sharedLog;
    if (log != null) {
      log.add(port() + " " + request.path());
    }
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
    if (reply.heldUntil() == null) {
      answer(request, reply);
      return;
    }
    Context context = Vertx.currentContext();
    reply.heldUntil().whenComplete((ignored, error) -> context.runOnContext(v -> answer(request, reply)));
  }

  private void answer(HttpServerRequest request, Reply reply) {
    List<String> log = sharedLog;
    if (log != null) {
      log.add(port + " " + request.path() + " answered");
    }
    request.response().setStatusCode(reply.status()).putHeader("Content-Type", reply.contentType()).end(reply.body());
  }

  @Override
  public void close() {
    if (holder != null) {
      closeQuietly(holder);
      holder = null;
      return;
    }
    try {
      server.close().await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the stand-in did not close", e);
    }
  }
}
