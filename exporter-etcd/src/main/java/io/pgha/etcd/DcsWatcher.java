package io.pgha.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.pgha.common.ErrorText;
import io.pgha.common.ProblemLog;
import io.pgha.common.ScrapeContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONE watch on Patroni's namespace ({@code <namespace>}, every scope under it) keeping a
 * {@link ScopeState} per configured scope, advanced the moment a change arrives: the leader key,
 * {@code failover}, {@code status}, {@code history}, {@code members/} and the rest. Scrapes and
 * {@code /events} read the published {@link DcsView}; they never wait for etcd while the view is
 * confirmed current.
 *
 * <p>jetcd watches can stop silently after a quorum loss or an etcd restart (jetcd issues 1352,
 * 1227, 1046), so the watch is not trusted alone: every {@code resync_interval} a keys-only range
 * read of the namespace compares every key's revision with what the watch delivered, and asks the
 * stream for a progress report (its answer shows the stream alive; its revision is not trusted). A
 * watch that fell behind, ended, failed or went quiet is re-created
 * from the last revision applied, so etcd replays every change made meanwhile and no leader change
 * is lost across an outage (unless etcd compacted that history: then a full read is applied as one
 * recovered change per scope). A resync that finds nothing missing confirms the view current: its
 * age is what {@link #confirmed} checks.
 *
 * <p>All state is confined to one Vert.x context; jetcd's callbacks hop onto it.
 */
public final class DcsWatcher implements AutoCloseable {

  /** Reads the namespace once (a linearizable range read), completing on the given context. */
  @FunctionalInterface
  public interface RangeReader {
    Future<GetResponse> read(Context context, ByteSequence prefix, GetOption option, long timeoutMillis);
  }

  private static final Logger LOG = LoggerFactory.getLogger(DcsWatcher.class);
  private static final long MAX_BACKOFF_MILLIS = 2_000;
  /** How often, at most, a failing watch gets a new client (and with it a new Vert.x and channel). */
  private static final long REPLACE_CLIENT_NANOS = 5_000_000_000L;

  private final Vertx vertx;
  private final Context context;
  private final String namespace;
  private final ByteSequence prefix;
  private final Set<String> scopes;
  private final Supplier<Future<Client>> clientFactory;
  private final RangeReader reader;
  private final long requestMillis;
  private final long resyncMillis;
  private final long graceMillis;
  private final long maxAgeMillis;
  private final ProblemLog reasons = new ProblemLog(LOG, EtcdErrors.LOG_QUIET);

  private volatile boolean closed;
  private volatile Client client;
  private Future<Client> pendingClient;
  private volatile Watch.Watcher watcher;
  private volatile DcsView view;
  private long generation;
  private Map<String, ScopeState> states;
  private long applied = -1;
  private boolean healthy;
  private long reconnects;
  private int failures;
  private boolean needsRead;
  private boolean resyncInFlight;
  private long recoveringUpTo = -1;
  private long lastResponseNanos;
  private long lastResyncMillis = -1;
  private long confirmedAtMillis = -1;
  private final List<Promise<Void>> awaitingConfirmation = new ArrayList<>();
  private volatile long resyncTimer = -1;
  private volatile long reconnectTimer = -1;
  private long clientSinceNanos = System.nanoTime();

  /**
   * @param clientFactory a client for the watch stream (balancing over all endpoints); replaced
   *     when it keeps failing
   * @param reader reads the namespace for the first state, for every resync and after a compaction
   */
  public DcsWatcher(Vertx vertx, EtcdSettings settings, Supplier<Future<Client>> clientFactory, RangeReader reader) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.namespace = settings.namespace();
    this.prefix = ByteSequence.from(namespace, StandardCharsets.UTF_8);
    this.scopes = Set.copyOf(settings.scopes());
    this.clientFactory = clientFactory;
    this.reader = reader;
    this.requestMillis = settings.requestTimeout().toMillis();
    this.resyncMillis = settings.resyncInterval().toMillis();
    this.graceMillis = Math.max(100, Math.min(500, resyncMillis / 2));
    // A resync is due every interval and takes up to a request timeout.
    this.maxAgeMillis = resyncMillis + requestMillis;
    this.view = new DcsView(Map.of(), false, 0, -1, -1);
  }

  /** Starts reading and watching in the background; problems are retried, never thrown. */
  public DcsWatcher start() {
    context.runOnContext(v -> {
      resyncTimer = vertx.setPeriodic(resyncMillis, id -> resync());
      read("the first read");
    });
    return this;
  }

  public DcsView view() {
    return view;
  }

  /** How old the view may be and still count as current: one resync interval and its request. */
  public long maxAgeMillis() {
    return maxAgeMillis;
  }

  /**
   * For a scrape: the view, once etcd confirmed it current within {@link #maxAgeMillis}; when the
   * last confirmation is older, a resync is asked for now and waited for until the scrape's
   * deadline. Fails, saying how old the view is, when no confirmation comes in time (no quorum,
   * etcd unreachable): stale DCS contents are not served as current.
   */
  public Future<DcsView> confirmed(ScrapeContext scrape) {
    DcsView v = view;
    long now = System.currentTimeMillis();
    if (v.ageMillis(now).filter(age -> age <= maxAgeMillis).isPresent()) {
      return Future.succeededFuture(v);
    }
    Promise<Void> confirmation = Promise.promise();
    context.runOnContext(x -> {
      awaitingConfirmation.add(confirmation);
      resync();
    });
    return confirmation.future().timeout(scrape.remainingMillis(), TimeUnit.MILLISECONDS).transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(view);
      }
      String age = view.ageMillis(System.currentTimeMillis()).map(a -> "last confirmed " + a + " ms ago")
          .orElse("never read");
      String why = ar.cause() instanceof java.util.concurrent.TimeoutException
          ? "etcd did not confirm it within the scrape's deadline"
          : "etcd could not confirm it: " + EtcdErrors.describe(ar.cause());
      return Future.failedFuture(new IllegalStateException("the DCS view is stale (" + age + ", allowed "
          + maxAgeMillis + " ms) and " + why));
    });
  }

  // ---- reading the namespace and opening the watch ----

  /**
   * Reads the namespace, applies what the watch could not replay, and watches from just after the read.
   *
   * @param why what made a read necessary, for the log when it finds changes the watch did not bring
   */
  private void read(String why) {
    if (closed) {
      return;
    }
    long sentAt = System.currentTimeMillis();
    reader.read(context, prefix, GetOption.builder().isPrefix(true).build(), requestMillis).onComplete(ar -> {
      if (closed) {
        return;
      }
      if (ar.failed()) {
        reasons.failed(what(), "cannot read the namespace: " + EtcdErrors.describe(ar.cause()));
        unconfirmed(ar.cause());
        scheduleReconnect();
        return;
      }
      GetResponse r = ar.result();
      long revision = r.getHeader().getRevision();
      Map<String, Map<String, ScopeState.DcsKey>> read = byScope(r.getKvs());
      long at = System.currentTimeMillis();
      if (states == null) {
        states = new LinkedHashMap<>();
        for (String scope : scopes) {
          ScopeState s = ScopeState.initial(scope, read.getOrDefault(scope, Map.of()), revision);
          states.put(scope, s);
          LOG.info("scope {}: leader key {} at revision {}; {} earlier leader changes in history", scope,
              s.leader().present() ? "held by " + s.leader().holder() : "vacant", revision, s.events().size());
        }
      } else {
        for (String scope : scopes) {
          ScopeState s = states.get(scope);
          List<ScopeState.KeyChange> missed = s.differences(read.getOrDefault(scope, Map.of()), revision);
          if (!missed.isEmpty() && revision > s.revision()) {
            LOG.warn("scope {}: {}; applying the keys as read at revision {} over those of revision {} as one change",
                scope, why, revision, s.revision());
            states.put(scope, s.apply(missed, at));
          }
        }
      }
      applied = Math.max(applied, revision);
      confirm(sentAt);
      openWatch(applied + 1);
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
        .isPrefix(true)
        .withRevision(fromRevision)
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
        watcher = ar.result().getWatchClient().watch(prefix, options, listener);
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
          LOG.info("{}: watching again (from revision {})", what(), applied + 1);
        }
      }
      // A progress notification does not advance what was applied: etcd before 3.4.25 (Debian 12 has
      // 3.4.23) answers a progress request with its current revision even while a new watch is still
      // replaying older events (etcd issue 15220). Taken as progress, the replay's changes were
      // merged by a re-read into one, or skipped by a reconnect from that revision.
    }
    // Events of an older watch are still true; each scope's revision check drops any repeat.
    List<WatchEvent> events = response.getEvents();
    int i = 0;
    while (i < events.size()) {
      long revision = events.get(i).getKeyValue().getModRevision();
      Map<String, List<ScopeState.KeyChange>> batch = new HashMap<>();
      while (i < events.size() && events.get(i).getKeyValue().getModRevision() == revision) {
        change(events.get(i), revision <= recoveringUpTo).ifPresent(sc -> batch.computeIfAbsent(sc.scope(),
            k -> new ArrayList<>()).add(sc.change()));
        i++;
      }
      batch.forEach((scope, changes) -> apply(scope, changes, atMillis));
      applied = Math.max(applied, revision);
    }
    publish();
  }

  private record ScopedChange(String scope, ScopeState.KeyChange change) {}

  private Optional<ScopedChange> change(WatchEvent e, boolean recovered) {
    KeyValue kv = e.getKeyValue();
    String[] where = split(kv.getKey().toString(StandardCharsets.UTF_8));
    if (where == null) {
      return Optional.empty();
    }
    String value;
    switch (e.getEventType()) {
      case PUT -> value = kv.getValue().toString(StandardCharsets.UTF_8);
      case DELETE -> value = null;
      default -> {
        return Optional.empty(); // event types etcd may add later
      }
    }
    // etcd sets a deleted key's mod revision to the revision of the delete.
    return Optional.of(new ScopedChange(where[0],
        new ScopeState.KeyChange(where[1], value, kv.getModRevision(), kv.getLease(), recovered)));
  }

  private void apply(String scope, List<ScopeState.KeyChange> changes, long atMillis) {
    ScopeState before = states.get(scope);
    ScopeState after = before.apply(changes, atMillis);
    if (after == before) {
      return;
    }
    String how = changes.stream().anyMatch(ScopeState.KeyChange::recovered) ? " (found by resync: the watch missed it)" : "";
    LeaderKeyState b = before.leader();
    LeaderKeyState a = after.leader();
    if (b.present() && !a.present()) {
      LOG.info("scope {}: leader key of {} gone at revision {} ({}){}", scope, b.holder(), a.revision(),
          after.loss().map(l -> l.kind().label()).orElse("?"), how);
    } else if (a.present() && !a.holder().equals(b.holder())) {
      LOG.info("scope {}: leader key taken by {} (last holder {}) at revision {}{}", scope, a.holder(),
          b.lastHolder() == null ? "unknown" : b.lastHolder(), a.revision(), how);
    }
    states.put(scope, after);
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
    if (states == null || needsRead) {
      read(needsRead ? "etcd compacted the history a replay needed" : "the first read");
      needsRead = false;
    } else {
      reconnects++;
      openWatch(applied + 1);
    }
  }

  // ---- resync: trust, but verify ----

  private void resync() {
    if (closed || states == null || resyncInFlight) {
      return;
    }
    resyncInFlight = true;
    Watch.Watcher w = watcher;
    if (w != null) {
      w.requestProgress();
    }
    long sentAt = System.currentTimeMillis();
    reader.read(context, prefix, GetOption.builder().isPrefix(true).withKeysOnly(true).build(), requestMillis)
        .onComplete(ar -> {
          resyncInFlight = false;
          if (closed) {
            return;
          }
          if (ar.failed()) {
            reasons.failed(what() + " resync", EtcdErrors.describe(ar.cause()));
            unconfirmed(ar.cause());
            return;
          }
          if (reasons.cleared(what() + " resync")) {
            LOG.info("{} resync: reads the namespace again", what());
          }
          lastResyncMillis = System.currentTimeMillis();
          long revision = ar.result().getHeader().getRevision();
          Map<String, Map<String, Long>> seen = revisionsByScope(ar.result().getKvs());
          long quietMillis = (System.nanoTime() - lastResponseNanos) / 1_000_000;
          if (watcher != null && quietMillis > 3 * resyncMillis + requestMillis) {
            // Established or still waiting to be: a stream on a frozen member neither answers nor fails.
            LOG.warn("{}: the watch answered nothing for {} ms while etcd does; re-creating it", what(), quietMillis);
            reconnects++;
            replaceClient(); // its channel may sit in gRPC's reconnect back-off
            openWatch(applied + 1);
          } else if (behind(seen, revision)) {
            vertx.setTimer(graceMillis, id -> recheck(seen, revision));
          } else {
            confirm(sentAt);
          }
          publish();
        });
  }

  private boolean behind(Map<String, Map<String, Long>> seen, long revision) {
    return states.values().stream().anyMatch(s -> s.behind(seen.getOrDefault(s.scope(), Map.of()), revision));
  }

  /** A change seen by the read but not yet by the watch may be in flight: look again before acting. */
  private void recheck(Map<String, Map<String, Long>> seen, long atRevision) {
    if (closed) {
      return;
    }
    if (!behind(seen, atRevision)) {
      return;
    }
    if (atRevision <= applied) {
      // The watch is past the read, yet the state differs from it: a replay from applied + 1 cannot
      // bring what is missing (it looped so once). Read the namespace again and apply the difference.
      LOG.warn("{}: the state differs from etcd's at revision {} although the watch is at {}; reading the namespace again",
          what(), atRevision, applied);
      reconnects++;
      read("the state differed from etcd's although the watch was past the read");
      return;
    }
    LOG.warn("{}: the watch missed changes (etcd at revision {}, the watch at {}); replaying from revision {}",
        what(), atRevision, applied, applied + 1);
    recoveringUpTo = Math.max(recoveringUpTo, atRevision);
    reconnects++;
    openWatch(applied + 1);
  }

  /**
   * The read that was to confirm the view failed: the scrapes waiting for it fail now, with why,
   * rather than at their deadline (etcd refusing us answers at once; waiting would only slow the scrape).
   */
  private void unconfirmed(Throwable cause) {
    settleWaiting(p -> p.tryFail(cause));
  }

  /** Settles every scrape waiting for a confirmation, once: a promise settled here is not waited on again. */
  private void settleWaiting(java.util.function.Consumer<Promise<Void>> settle) {
    List<Promise<Void>> waiting = new ArrayList<>(awaitingConfirmation);
    awaitingConfirmation.clear();
    waiting.forEach(settle);
  }

  /** etcd confirmed the view current as of {@code sentAtMillis} (when the confirming read was sent). */
  private void confirm(long sentAtMillis) {
    confirmedAtMillis = Math.max(confirmedAtMillis, sentAtMillis);
    publish();
    settleWaiting(Promise::tryComplete);
  }

  // ---- plumbing ----

  /** {scope, key relative to the scope} of a key under the namespace, or null for another scope's. */
  private String[] split(String key) {
    if (!key.startsWith(namespace)) {
      return null;
    }
    int slash = key.indexOf('/', namespace.length());
    if (slash < 0) {
      return null;
    }
    String scope = key.substring(namespace.length(), slash);
    return scopes.contains(scope) ? new String[] {scope, key.substring(slash + 1)} : null;
  }

  private Map<String, Map<String, ScopeState.DcsKey>> byScope(List<KeyValue> kvs) {
    Map<String, Map<String, ScopeState.DcsKey>> out = new HashMap<>();
    for (KeyValue kv : kvs) {
      String[] where = split(kv.getKey().toString(StandardCharsets.UTF_8));
      if (where != null) {
        out.computeIfAbsent(where[0], k -> new HashMap<>()).put(where[1],
            new ScopeState.DcsKey(kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision(), kv.getLease()));
      }
    }
    return out;
  }

  private Map<String, Map<String, Long>> revisionsByScope(List<KeyValue> kvs) {
    Map<String, Map<String, Long>> out = new HashMap<>();
    for (KeyValue kv : kvs) {
      String[] where = split(kv.getKey().toString(StandardCharsets.UTF_8));
      if (where != null) {
        out.computeIfAbsent(where[0], k -> new HashMap<>()).put(where[1], kv.getModRevision());
      }
    }
    return out;
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
    view = new DcsView(states == null ? Map.of() : states, healthy, reconnects, lastResyncMillis, confirmedAtMillis);
  }

  private String what() {
    return "namespace " + namespace;
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
