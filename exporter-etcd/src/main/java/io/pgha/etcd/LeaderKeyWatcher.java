package io.pgha.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.pgha.common.ErrorText;
import io.pgha.common.ProblemLog;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one scope's leader key ({@code <namespace><scope>/leader}) and keeps a
 * {@link LeaderKeyState} that every change advances the moment it arrives.
 *
 * <p>jetcd watches can stop silently after a quorum loss or an etcd restart (jetcd issues 1352,
 * 1227, 1046), so the watch is not trusted alone: every {@code resync_interval} a Get compares the
 * key's revision with what the watch delivered, and asks the stream for a progress report. A watch
 * that fell behind, ended, failed or went quiet is re-created from the last revision applied, so
 * etcd replays every change made meanwhile and no leader change is lost across an outage (unless
 * etcd compacted that history: then the Get's view is applied as one recovered change).
 *
 * <p>All state is confined to one Vert.x context; jetcd's callbacks hop onto it.
 */
public final class LeaderKeyWatcher implements AutoCloseable {

  /** Reads the key once (a linearizable Get), completing on the given context. */
  @FunctionalInterface
  public interface KeyReader {
    Future<GetResponse> read(Context context, ByteSequence key, long timeoutMillis);
  }

  private static final Logger LOG = LoggerFactory.getLogger(LeaderKeyWatcher.class);
  private static final long MAX_BACKOFF_MILLIS = 2_000;
  /** How often, at most, a failing watch gets a new client (and with it a new Vert.x and channel). */
  private static final long REPLACE_CLIENT_NANOS = 5_000_000_000L;

  private final Vertx vertx;
  private final Context context;
  private final String scope;
  private final ByteSequence key;
  private final Supplier<Future<Client>> clientFactory;
  private final KeyReader reader;
  private final long requestMillis;
  private final long resyncMillis;
  private final long graceMillis;
  private final ProblemLog reasons = new ProblemLog(LOG, EtcdErrors.LOG_QUIET);

  private volatile boolean closed;
  private volatile Client client;
  private Future<Client> pendingClient;
  private volatile Watch.Watcher watcher;
  private volatile WatchView view;
  private long generation;
  private LeaderKeyState state;
  private boolean healthy;
  private long reconnects;
  private int failures;
  private boolean needsRead;
  private boolean resyncInFlight;
  private long recoveringUpTo = -1;
  private long lastResponseNanos;
  private long lastResyncMillis = -1;
  private volatile long resyncTimer = -1;
  private volatile long reconnectTimer = -1;
  private long clientSinceNanos = System.nanoTime();

  /**
   * @param clientFactory a client for the watch stream (balancing over all endpoints); replaced
   *     when it keeps failing
   * @param reader reads the key for the first state and for every resync
   */
  public LeaderKeyWatcher(Vertx vertx, EtcdSettings settings, String scope, Supplier<Future<Client>> clientFactory,
      KeyReader reader) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.scope = scope;
    this.key = ByteSequence.from(settings.leaderKey(scope), StandardCharsets.UTF_8);
    this.clientFactory = clientFactory;
    this.reader = reader;
    this.requestMillis = settings.requestTimeout().toMillis();
    this.resyncMillis = settings.resyncInterval().toMillis();
    this.graceMillis = Math.max(100, Math.min(500, resyncMillis / 2));
    this.view = new WatchView(scope, Optional.empty(), false, 0, -1);
  }

  /** Starts reading and watching in the background; problems are retried, never thrown. */
  public LeaderKeyWatcher start() {
    context.runOnContext(v -> {
      resyncTimer = vertx.setPeriodic(resyncMillis, id -> resync());
      read();
    });
    return this;
  }

  public String scope() {
    return scope;
  }

  public WatchView view() {
    return view;
  }

  // ---- reading the key and opening the watch ----

  /** Reads the key, applies what the watch could not replay, and watches from just after the read. */
  private void read() {
    if (closed) {
      return;
    }
    reader.read(context, key, requestMillis).onComplete(ar -> {
      if (closed) {
        return;
      }
      if (ar.failed()) {
        reasons.failed(what(), "cannot read the leader key: " + EtcdErrors.describe(ar.cause()));
        scheduleReconnect();
        return;
      }
      GetResponse r = ar.result();
      long revision = r.getHeader().getRevision();
      LeaderKeyEvent seen = seen(r);
      if (state == null) {
        state = LeaderKeyState.initial(seen.holder(), seen.lease(), revision);
        LOG.info("{}: leader key {} at revision {}", what(),
            state.present() ? "held by " + state.holder() : "vacant", revision);
      } else if (state.behind(seen, revision)) {
        LOG.warn("{}: etcd no longer holds the history since revision {}; applying the key as read at {}",
            what(), state.revision(), revision);
        apply(seen.asRecovered(), System.currentTimeMillis());
      }
      openWatch(Math.max(state.revision(), revision) + 1);
    });
  }

  private void openWatch(long fromRevision) {
    closeWatch();
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
      reconnectTimer = -1;
    }
    long gen = generation;
    WatchOption options = WatchOption.builder()
        .withRevision(fromRevision)
        .withPrevKV(true)
        .withCreateNotify(true)
        // Without a leader the member cannot tell us about changes: have etcd end the watch.
        .withRequireLeader(true)
        .build();
    Watch.Listener listener = Watch.listener(
        response -> {
          long at = System.currentTimeMillis();
          context.runOnContext(v -> onResponse(gen, response, at));
        },
        error -> context.runOnContext(v -> onFailure(gen, error)),
        () -> context.runOnContext(v -> onFailure(gen, null)));
    lastResponseNanos = System.nanoTime();
    client().onComplete(ar -> {
      if (closed || gen != generation) {
        return;
      }
      if (ar.failed()) {
        onFailure(gen, ar.cause());
        return;
      }
      try {
        watcher = ar.result().getWatchClient().watch(key, options, listener);
      } catch (RuntimeException e) {
        onFailure(gen, e);
      }
    });
    publish();
  }

  private void closeWatch() {
    generation++; // late callbacks of the old watch are recognised and dropped
    Watch.Watcher w = watcher;
    watcher = null;
    healthy = false;
    if (w != null) {
      w.close();
    }
  }

  // ---- what the watch delivers ----

  private void onResponse(long gen, WatchResponse response, long atMillis) {
    if (closed) {
      return;
    }
    if (gen == generation) {
      lastResponseNanos = System.nanoTime();
      if (!healthy && response.isCreatedNotify()) {
        healthy = true;
        failures = 0;
        if (reasons.cleared(what())) {
          LOG.info("{}: watching the leader key again (from revision {})", what(), state.revision() + 1);
        }
      }
    }
    // Events of an older watch are still true; the revision check drops any repeat.
    for (WatchEvent e : response.getEvents()) {
      LeaderKeyEvent.of(e).ifPresent(event ->
          apply(event.revision() <= recoveringUpTo ? event.asRecovered() : event, atMillis));
    }
    publish();
  }

  private void apply(LeaderKeyEvent event, long atMillis) {
    LeaderKeyState before = state;
    state = state.apply(event, atMillis);
    if (state == before) {
      return;
    }
    String how = event.recovered() ? " (found by resync: the watch missed it)" : "";
    if (before.present() && !state.present()) {
      LOG.info("{}: leader key released or expired (held by {}) at revision {}{}", what(), before.holder(), event.revision(), how);
    } else if (!state.holder().equals(before.holder())) {
      LOG.info("{}: leader key taken by {} (last holder {}) at revision {}{}", what(), state.holder(),
          before.lastHolder() == null ? "unknown" : before.lastHolder(), event.revision(), how);
    }
  }

  private void onFailure(long gen, Throwable error) {
    if (closed || gen != generation) {
      return;
    }
    reasons.failed(what(), error == null ? "the watch stream ended" : "the watch failed: " + EtcdErrors.describe(error));
    if (error != null && ErrorText.unwrap(error) instanceof CompactedException) {
      needsRead = true;
    }
    closeWatch();
    publish();
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (closed || reconnectTimer >= 0) {
      return;
    }
    long delay = Math.min(MAX_BACKOFF_MILLIS, 250L << Math.min(failures, 3));
    failures++;
    reconnectTimer = vertx.setTimer(delay, id -> {
      reconnectTimer = -1;
      reconnect();
    });
  }

  private void reconnect() {
    if (closed) {
      return;
    }
    if (failures >= 2 && System.nanoTime() - clientSinceNanos > REPLACE_CLIENT_NANOS) {
      // gRPC backs off reconnecting for up to two minutes; a new client connects at once.
      replaceClient();
    }
    if (state == null || needsRead) {
      needsRead = false;
      read();
    } else {
      reconnects++;
      openWatch(state.revision() + 1);
    }
  }

  // ---- resync: trust, but verify ----

  private void resync() {
    if (closed || state == null || resyncInFlight) {
      return;
    }
    resyncInFlight = true;
    Watch.Watcher w = watcher;
    if (w != null) {
      w.requestProgress();
    }
    reader.read(context, key, requestMillis).onComplete(ar -> {
      resyncInFlight = false;
      if (closed) {
        return;
      }
      if (ar.failed()) {
        reasons.failed(what() + " resync", EtcdErrors.describe(ar.cause()));
        return;
      }
      if (reasons.cleared(what() + " resync")) {
        LOG.info("{} resync: reads the leader key again", what());
      }
      lastResyncMillis = System.currentTimeMillis();
      long revision = ar.result().getHeader().getRevision();
      LeaderKeyEvent seen = seen(ar.result());
      long quietMillis = (System.nanoTime() - lastResponseNanos) / 1_000_000;
      if (watcher != null && quietMillis > 3 * resyncMillis + requestMillis) {
        // Established or still waiting to be: a stream on a frozen member neither answers nor fails.
        LOG.warn("{}: the watch answered nothing for {} ms while etcd does; re-creating it", what(), quietMillis);
        reconnects++;
        replaceClient(); // its channel may sit in gRPC's reconnect back-off
        openWatch(state.revision() + 1);
      } else if (state.behind(seen, revision)) {
        vertx.setTimer(graceMillis, id -> recheck(seen, revision));
      }
      publish();
    });
  }

  /** A change seen by the Get but not yet by the watch may be in flight: look again before acting. */
  private void recheck(LeaderKeyEvent seen, long atRevision) {
    if (closed || !state.behind(seen, atRevision)) {
      return;
    }
    LOG.warn("{}: the watch missed a change of the leader key (etcd at revision {} has {}, the watch is at {}); "
        + "replaying from revision {}", what(), atRevision, seen.holder() == null ? "no leader" : seen.holder(),
        state.revision(), state.revision() + 1);
    recoveringUpTo = Math.max(recoveringUpTo, atRevision);
    reconnects++;
    openWatch(state.revision() + 1);
  }

  // ---- plumbing ----

  private static LeaderKeyEvent seen(GetResponse r) {
    if (r.getKvs().isEmpty()) {
      return LeaderKeyEvent.delete(r.getHeader().getRevision());
    }
    KeyValue kv = r.getKvs().get(0);
    return LeaderKeyEvent.put(kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision(), kv.getLease());
  }

  private Future<Client> client() {
    Client c = client;
    if (c != null) {
      return Future.succeededFuture(c);
    }
    Future<Client> f = pendingClient;
    if (f == null) {
      Future<Client> building = clientFactory.get();
      pendingClient = building;
      building.onComplete(ar -> {
        if (pendingClient == building) {
          pendingClient = null;
        }
        if (ar.succeeded()) {
          if (closed) {
            ar.result().close();
          } else {
            client = ar.result();
            clientSinceNanos = System.nanoTime();
          }
        }
      });
      f = building;
    }
    return f;
  }

  private void replaceClient() {
    closeWatch();
    Client old = client;
    client = null;
    if (old != null) {
      old.close();
    }
  }

  private void publish() {
    view = new WatchView(scope, Optional.ofNullable(state), healthy, reconnects, lastResyncMillis);
  }

  private String what() {
    return "scope " + scope;
  }

  @Override
  public void close() {
    closed = true;
    vertx.cancelTimer(resyncTimer);
    vertx.cancelTimer(reconnectTimer);
    Watch.Watcher w = watcher;
    if (w != null) {
      w.close();
    }
    Client c = client;
    if (c != null) {
      c.close();
    }
  }
}
