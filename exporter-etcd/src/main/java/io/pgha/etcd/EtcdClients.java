package io.pgha.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.pgha.common.tls.TlsFileException;
import io.pgha.common.tls.TlsMaterial;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Builds and keeps the jetcd clients: one per member endpoint, each talking to that member and no
 * other. Reads that any member may answer go to every configured endpoint at once and take the
 * first answer ({@link #first}): a client balancing over all endpoints sends each call to one
 * member, and a member that is frozen (not down: its connection stays open) would stall every
 * third call until the deadline. Only the long-lived watch gets a balancing client of its own.
 *
 * <p>Each jetcd client starts its own Vert.x instance (jetcd closes whatever instance it is given,
 * so the exporter's cannot be lent to it), which keeps gRPC work off the exporter's event loops.
 * Clients are built on a plain thread: starting Vert.x creates threads.
 *
 * <p>A client whose connection failed is rebuilt before its next use: gRPC's reconnect back-off
 * grows to two minutes, which would hide a member that is back for just as long.
 */
final class EtcdClients implements AutoCloseable {
  /** What {@link #first} returns: the answer and the client (member) that gave it. */
  record Answer<T>(URI endpoint, Client client, T value) {}

  private final Vertx vertx;
  private final EtcdSettings settings;
  private final ExecutorService builders = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "pgha-etcd-client-builder");
    t.setDaemon(true);
    return t;
  });
  private static final int CALLBACK_THREADS = 2;
  /**
   * What every client's callbacks run on (jetcd completes its futures and delivers watch events
   * there). jetcd's own default is a cached pool per client, which grew to 50 threads at a hundred
   * scopes; the callbacks only hand results to the exporter's contexts, so two threads serve all.
   */
  private final ThreadPoolExecutor callbacks = new ThreadPoolExecutor(CALLBACK_THREADS, CALLBACK_THREADS,
      60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "pgha-etcd-callback");
        t.setDaemon(true);
        return t;
      });
  /** A member client and when it was built. */
  private record Built(Future<Client> client, long sinceNanos) {}

  /** gRPC's first reconnect delays are short: a client younger than this is not worth replacing. */
  private static final long MIN_AGE_TO_REPLACE_NANOS = 5_000_000_000L;
  private static final long BUILD_TIMEOUT_SECONDS = 10;

  private final Map<URI, Built> members = new HashMap<>();
  private boolean closed;
  /** The certificates every client is built with, read again when they change on disk. */
  private final TlsMaterial tls;
  /** The generation of {@link #tls} the member clients were built with. */
  private long tlsGeneration;

  EtcdClients(Vertx vertx, EtcdSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.tls = TlsMaterial.client(settings.tlsFiles(), true);
    callbacks.allowCoreThreadTimeOut(true);
  }

  /**
   * Makes the call through every configured endpoint at once; succeeds with the first answer,
   * fails with the first failure when none answers. Completes on {@code context}.
   */
  <T> Future<Answer<T>> first(Context context, long timeoutMillis, Function<Client, CompletableFuture<T>> call) {
    List<Future<Answer<T>>> asks = new ArrayList<>();
    for (URI endpoint : settings.endpoints()) {
      asks.add(member(endpoint).compose(client -> Calls.call(context, timeoutMillis, () -> call.apply(client))
          .map(value -> new Answer<>(endpoint, client, value))
          .onFailure(e -> {
            if (EtcdErrors.needsNewClient(e)) {
              resetMember(endpoint, client);
            }
          })).timeout(timeoutMillis, TimeUnit.MILLISECONDS));
    }
    return Future.any(asks).transform(ignored -> {
      for (Future<Answer<T>> f : asks) {
        if (f.succeeded()) {
          return Future.succeededFuture(f.result());
        }
      }
      return Future.failedFuture(asks.get(0).cause());
    });
  }

  /** The client that talks to exactly this member endpoint, without retries or waiting. */
  synchronized Future<Client> member(URI endpoint) {
    if (closed) {
      return Future.failedFuture("etcd clients are closed");
    }
    if (settings.tls()) {
      try {
        renewAfterRotation(tls.check());
      } catch (TlsFileException e) {
        return Future.failedFuture(e);
      }
    }
    Built b = members.get(endpoint);
    if (b == null || b.client().failed()) {
      b = new Built(build(() -> builder(settings, tls, endpoint).executorService(callbacks).retryMaxAttempts(0).waitForReady(false).build(), c -> {
        c.getClusterClient();
        c.getMaintenanceClient();
        c.getKVClient();
        c.getLeaseClient();
      }), System.nanoTime());
      members.put(endpoint, b);
    }
    return b.client();
  }

  /**
   * Member clients keep their connections, and a connection keeps the certificates of its
   * handshake: after the files changed, every member client is replaced so that new connections
   * use the new ones (the old clients are closed after the request timeout, as in {@link #resetMember}).
   */
  private void renewAfterRotation(long generation) {
    if (tlsGeneration != 0 && generation != tlsGeneration) {
      members.values().forEach(b -> b.client().onSuccess(c -> vertx.setTimer(settings.requestTimeout().toMillis(), id -> c.close())));
      members.clear();
    }
    tlsGeneration = generation;
  }

  /**
   * Replaces a client after a connection failure, unless it is new. The old one is closed only
   * after the request timeout, so calls other collectors have in flight on it end on their own terms.
   */
  synchronized void resetMember(URI endpoint, Client failed) {
    Built b = members.get(endpoint);
    if (b != null && b.client().succeeded() && b.client().result() == failed
        && System.nanoTime() - b.sinceNanos() >= MIN_AGE_TO_REPLACE_NANOS) {
      members.remove(endpoint);
      vertx.setTimer(settings.requestTimeout().toMillis(), id -> failed.close());
    }
  }

  /** Closes clients of endpoints no longer probed (a member removed or re-addressed). */
  synchronized void retainMembers(Set<URI> endpoints) {
    members.entrySet().removeIf(e -> {
      if (endpoints.contains(e.getKey()) || settings.endpoints().contains(e.getKey())) {
        return false;
      }
      e.getValue().client().onSuccess(Client::close);
      return true;
    });
  }

  /** A new client balancing over all endpoints, for a long-lived watch; the caller closes it. */
  Future<Client> newWatchClient() {
    if (settings.tls()) {
      try {
        tls.check();
      } catch (TlsFileException e) {
        return Future.failedFuture(e);
      }
    }
    return build(() -> builder(settings, tls, settings.endpoints().toArray(URI[]::new)).executorService(callbacks).build(), Client::getWatchClient);
  }

  /** Builds on a plain thread (jetcd's Vert.x must not start inside a Vert.x context). */
  private Future<Client> build(Supplier<Client> builder, Consumer<Client> warmUp) {
    Context caller = vertx.getOrCreateContext();
    CompletableFuture<Client> built = CompletableFuture.supplyAsync(() -> {
      Client c = builder.get();
      warmUp.accept(c); // the first use of a sub-client starts jetcd's Vert.x and channel
      return c;
    }, builders);
    // Every step has a deadline, building included: a call waiting on a client that never comes
    // would hold up the first-answer race and the scrape with it.
    Future<Client> f = Future.fromCompletionStage(built, caller).timeout(BUILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    f.onFailure(e -> built.thenAccept(Client::close)); // finished after we gave up: not leaked
    return f;
  }

  static ClientBuilder builder(EtcdSettings settings, TlsMaterial tls, URI... endpoints) {
    ClientBuilder b = Client.builder()
        .endpoints(endpoints)
        .connectTimeout(min(settings.requestTimeout(), Duration.ofSeconds(1)))
        // etcd answers pings on idle connections with GOAWAY (too_many_pings); streams keep theirs alive.
        .keepaliveWithoutCalls(false)
        .keepaliveTime(Duration.ofSeconds(10))
        .keepaliveTimeout(Duration.ofSeconds(5))
        .retryDelay(100).retryMaxDelay(500).retryMaxDuration(settings.requestTimeout())
        .interceptor(new CallDeadline(settings.requestTimeout()));
    if (settings.username().isPresent()) {
      b.user(ByteSequence.from(settings.username().get(), StandardCharsets.UTF_8))
          // Read at every build: a client is rebuilt after a connection or authentication failure,
          // so a rotated password is picked up without a restart.
          .password(ByteSequence.from(settings.passwordFile().orElseThrow().read(), StandardCharsets.UTF_8));
    }
    if (settings.tls()) {
      try {
        // The managers read the files at each handshake: rotated certificates need no restart.
        b.sslContext(ssl -> ssl.trustManager(tls.trustManager()).keyManager(tls.keyManager()));
      } catch (SSLException e) {
        throw new IllegalStateException("cannot set up TLS for etcd: " + e.getMessage(), e);
      }
      // gRPC checks the members' certificates for this name instead of the endpoint's host.
      settings.serverName().ifPresent(b::authority);
    }
    return b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public synchronized void close() {
    closed = true;
    members.values().forEach(b -> b.client().onSuccess(Client::close));
    members.clear();
    builders.shutdown();
    // callbacks is not shut down: a client closed just now (or on a timer, or the watch's by its
    // owner) may still deliver a last callback, which must not be rejected. Its idle threads end
    // after a minute.
  }
}
