package io.pgha.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.WatchResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.WatchOption;
import io.pgha.common.ConfigNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DcsWatcher} driven by hand: the namespace reads and the watch stream are the test's, so the
 * order in which etcd answers can be the one that once lost leader changes.
 */
class DcsWatcherTest {
  private static final String LEADER = "/service/pgha/leader";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Vertx vertx = Vertx.vertx();
  private final AtomicReference<RangeResponse> namespace = new AtomicReference<>();
  private final HandWatch watch = new HandWatch();
  private DcsWatcher watcher;

  @AfterEach
  void stop() {
    if (watcher != null) {
      watcher.close();
    }
    vertx.close().await();
  }

  /**
   * etcd 3.4.23 answers a progress request with its current revision while a new watch is still
   * replaying older events (etcd issue 15220). The resync then finds the state behind a read the
   * "progress" claims the watch is past: the changes must still come one by one from a replay, not
   * be merged into one by a re-read (which also dropped the replayed events as repeats).
   */
  @Test
  void aProgressNotificationAheadOfTheReplayDoesNotMergeTheLeaderChanges() throws Exception {
    namespace.set(range(10, kv(LEADER, "pg-3", 10)));
    watcher = new DcsWatcher(vertx, settings(), () -> Future.succeededFuture(watch.client()),
        (context, prefix, option, timeoutMillis) -> Future.succeededFuture(new GetResponse(namespace.get(), ByteSequence.EMPTY)))
        .start();
    await().atMost(WAIT).until(() -> watch.fromRevisions.size() == 1);
    assertThat(watch.fromRevisions.get(0)).isEqualTo(11);
    watch.last().onNext(new io.etcd.jetcd.watch.WatchResponse(WatchResponse.newBuilder()
        .setHeader(header(10)).setCreated(true).setWatchId(1).build()));

    // Meanwhile: pg-3 released the key, pg-1 took it, released it, pg-2 took it (revisions 11-14).
    namespace.set(range(14, kv(LEADER, "pg-2", 14)));
    watch.last().onNext(new io.etcd.jetcd.watch.WatchResponse(WatchResponse.newBuilder().setHeader(header(14)).build()));

    // The resync sees the key newer than the state: the watch is replayed from what it delivered.
    await().atMost(WAIT).until(() -> watch.fromRevisions.size() >= 2);
    assertThat(watch.fromRevisions.get(1)).as("replayed from the last change delivered, not the progress").isEqualTo(11);
    assertThat(watcher.view().scopes().get("pgha").leader().holder()).as("nothing applied without its events").isEqualTo("pg-3");

    watch.last().onNext(new io.etcd.jetcd.watch.WatchResponse(WatchResponse.newBuilder().setHeader(header(14))
        .addEvents(event(Event.EventType.DELETE, kv(LEADER, "", 11)))
        .addEvents(event(Event.EventType.PUT, kv(LEADER, "pg-1", 12)))
        .addEvents(event(Event.EventType.DELETE, kv(LEADER, "", 13)))
        .addEvents(event(Event.EventType.PUT, kv(LEADER, "pg-2", 14)))
        .build()));
    await().atMost(WAIT).until(() -> watcher.view().scopes().get("pgha").events().size() == 2);
    List<LeaderEvent> events = watcher.view().scopes().get("pgha").events();
    assertThat(events.get(1).from()).contains("pg-3");
    assertThat(events.get(1).to()).isEqualTo("pg-1");
    assertThat(events.get(0).from()).contains("pg-1");
    assertThat(events.get(0).to()).isEqualTo("pg-2");
    assertThat(events).allMatch(LeaderEvent::recovered);
  }

  private static EtcdSettings settings() throws Exception {
    return EtcdSettings.from(ConfigNode.root(new YAMLMapper().readTree("""
        etcd:
          endpoints: [http://127.0.0.1:2379]
          scopes: [pgha]
          resync_interval: 200ms
          request_timeout: 1s
        """)).required("etcd"));
  }

  private static ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder().setRevision(revision).build();
  }

  private static KeyValue kv(String key, String value, long modRevision) {
    return KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value))
        .setModRevision(modRevision).build();
  }

  private static RangeResponse range(long revision, KeyValue... kvs) {
    return RangeResponse.newBuilder().setHeader(header(revision)).addAllKvs(List.of(kvs)).setCount(kvs.length).build();
  }

  private static Event event(Event.EventType type, KeyValue kv) {
    return Event.newBuilder().setType(type).setKv(kv).build();
  }

  /** A watch client whose streams the test feeds: each watch call is recorded with its start revision. */
  private static final class HandWatch implements Watch {
    final List<Long> fromRevisions = new CopyOnWriteArrayList<>();
    private final List<Watch.Listener> listeners = new CopyOnWriteArrayList<>();

    Client client() {
      return (Client) Proxy.newProxyInstance(Client.class.getClassLoader(), new Class<?>[] {Client.class},
          (proxy, method, args) -> switch (method.getName()) {
            case "getWatchClient" -> this;
            case "close" -> null;
            default -> throw new UnsupportedOperationException(method.getName());
          });
    }

    Watch.Listener last() {
      return listeners.get(listeners.size() - 1);
    }

    @Override
    public Watcher watch(ByteSequence key, WatchOption option, Listener listener) {
      listeners.add(listener);
      fromRevisions.add(option.getRevision());
      return new Watcher() {
        @Override
        public void close() {}

        @Override
        public void requestProgress() {}

        @Override
        public boolean isClosed() {
          return false;
        }
      };
    }

    @Override
    public void requestProgress() {}

    @Override
    public void close() {}
  }
}
