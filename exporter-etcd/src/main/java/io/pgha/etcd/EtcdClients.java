package io.pgha.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Builds and keeps the jetcd clients. One client spans every configured endpoint (gRPC balances
 * and fails over between them) for cluster-wide reads; one client per member endpoint serves the
 * per-member status and health probes, which must reach that member and no other.
 *
 * <p>Each jetcd client starts its own Vert.x instance (jetcd closes whatever instance it is given,
 * so the exporter's cannot be lent to it), which keeps gRPC work off the exporter's event loops.
 * Starting one creates threads, so clients are built on a worker thread, never on an event loop.
 *
 * <p>A member client whose connection failed is rebuilt before its next use: gRPC's reconnect
 * back-off grows to two minutes, which would hide a member that is back for just as long.
 */
final class EtcdClients implements AutoCloseable {
  private final Vertx vertx;
  private final EtcdSettings settings;
  private final ExecutorService builders = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "pgha-etcd-client-builder");
    t.setDaemon(true);
    return t;
  });
  private Future<Client> cluster;
  private final Map<URI, Future<Client>> members = new HashMap<>();
  private boolean closed;

  EtcdClients(Vertx vertx, EtcdSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
  }

  /** The client over all configured endpoints. */
  synchronized Future<Client> cluster() {
    if (closed) {
      return Future.failedFuture("etcd clients are closed");
    }
    if (cluster == null || cluster.failed()) {
      cluster = build(() -> balanced(settings).build(), c -> {
        c.getClusterClient();
        c.getMaintenanceClient();
        c.getKVClient();
        c.getLeaseClient();
      });
    }
    return cluster;
  }

  /** Drops the cluster client after a failure; the next {@link #cluster()} connects afresh. */
  synchronized void resetCluster(Client failed) {
    if (cluster != null && cluster.succeeded() && cluster.result() == failed) {
      cluster = null;
      failed.close();
    }
  }

  /** The client that talks to exactly this member endpoint, without retries or waiting. */
  synchronized Future<Client> member(URI endpoint) {
    if (closed) {
      return Future.failedFuture("etcd clients are closed");
    }
    Future<Client> f = members.get(endpoint);
    if (f == null || f.failed()) {
      f = build(() -> builder(settings, endpoint).retryMaxAttempts(0).waitForReady(false).build(), c -> {
        c.getMaintenanceClient();
        c.getKVClient();
      });
      members.put(endpoint, f);
    }
    return f;
  }

  synchronized void resetMember(URI endpoint, Client failed) {
    Future<Client> f = members.get(endpoint);
    if (f != null && f.succeeded() && f.result() == failed) {
      members.remove(endpoint);
      failed.close();
    }
  }

  /** Closes member clients no longer probed (a member removed or re-addressed). */
  synchronized void retainMembers(Set<URI> endpoints) {
    members.entrySet().removeIf(e -> {
      if (endpoints.contains(e.getKey())) {
        return false;
      }
      e.getValue().onSuccess(Client::close);
      return true;
    });
  }

  /** A new client over all endpoints for a long-lived watch; the caller owns and closes it. */
  Future<Client> newWatchClient() {
    return build(() -> balanced(settings).build(), c -> {
      c.getKVClient();
      c.getWatchClient();
    });
  }

  /**
   * Builds on a plain thread (jetcd's Vert.x must not start inside a Vert.x context) and touches
   * the sub-clients, whose first use starts it; completes on the caller's context.
   */
  private Future<Client> build(Supplier<Client> builder, Consumer<Client> warmUp) {
    Context caller = vertx.getOrCreateContext();
    CompletableFuture<Client> built = CompletableFuture.supplyAsync(() -> {
      Client c = builder.get();
      warmUp.accept(c);
      return c;
    }, builders);
    return Future.fromCompletionStage(built, caller);
  }

  private static ClientBuilder balanced(EtcdSettings settings) {
    return builder(settings, settings.endpoints().toArray(URI[]::new))
        .retryMaxAttempts(2).retryDelay(100).retryMaxDelay(500)
        .retryMaxDuration(settings.requestTimeout());
  }

  static ClientBuilder builder(EtcdSettings settings, URI... endpoints) {
    ClientBuilder b = Client.builder()
        .endpoints(endpoints)
        .connectTimeout(min(settings.requestTimeout(), Duration.ofSeconds(1)))
        // etcd answers pings on idle connections with GOAWAY (too_many_pings); streams keep theirs alive.
        .keepaliveWithoutCalls(false)
        .keepaliveTime(Duration.ofSeconds(10))
        .keepaliveTimeout(Duration.ofSeconds(5))
        .interceptor(new CallDeadline(settings.requestTimeout()));
    if (settings.username().isPresent()) {
      b.user(ByteSequence.from(settings.username().get(), StandardCharsets.UTF_8))
          .password(ByteSequence.from(settings.password().orElseThrow(), StandardCharsets.UTF_8));
    }
    if (settings.tls()) {
      try {
        b.sslContext(ssl -> settings.caFile().ifPresent(ca -> ssl.trustManager(new File(ca.toString()))));
      } catch (SSLException e) {
        throw new IllegalStateException("cannot set up TLS for etcd: " + e.getMessage(), e);
      }
    }
    return b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (cluster != null) {
      cluster.onSuccess(Client::close);
      cluster = null;
    }
    members.values().forEach(f -> f.onSuccess(Client::close));
    members.clear();
    builders.shutdown();
  }
}
