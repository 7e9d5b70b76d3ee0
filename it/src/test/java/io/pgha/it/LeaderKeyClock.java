package io.pgha.it;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.pgha.lab.client.EtcdGrpc;
import io.pgha.lab.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The tests' own watch on Patroni's leader key, independent of the exporter: when the put that
 * made {@code holder} the leader reached us. The reference the exporter's detection is timed from.
 */
final class LeaderKeyClock implements AutoCloseable {

  /** When the put arrived: {@link System#nanoTime()} and wall clock. */
  record Arrival(long nanos, long epochMillis) {}

  private final Client client;
  private final Watch.Watcher watcher;
  private final CompletableFuture<Arrival> arrival = new CompletableFuture<>();

  private LeaderKeyClock(Client client, ByteSequence key, long fromRevision, String holder) {
    this.client = client;
    WatchOption from = WatchOption.builder().withRevision(fromRevision).build();
    this.watcher = client.getWatchClient().watch(key, from, Watch.listener(response -> {
      long nanos = System.nanoTime();
      long millis = System.currentTimeMillis();
      for (WatchEvent e : response.getEvents()) {
        if (e.getEventType() == WatchEvent.EventType.PUT
            && holder.equals(e.getKeyValue().getValue().toString(StandardCharsets.UTF_8))) {
          arrival.complete(new Arrival(nanos, millis));
        }
      }
    }, arrival::completeExceptionally));
  }

  /** Starts watching for the next put of {@code holder} after the key's current revision. */
  static LeaderKeyClock watchFor(Topology t, String holder) throws Exception {
    Client client = EtcdGrpc.client(t);
    try {
      ByteSequence key = leaderKey(t);
      GetResponse now = client.getKVClient().get(key).get(10, TimeUnit.SECONDS);
      return new LeaderKeyClock(client, key, now.getHeader().getRevision() + 1, holder);
    } catch (Exception e) {
      client.close();
      throw e;
    }
  }

  /** The key's holder right now (a quorum read), if any. */
  static Optional<String> holder(Topology t) throws Exception {
    try (Client client = EtcdGrpc.client(t)) {
      GetResponse r = client.getKVClient().get(leaderKey(t)).get(10, TimeUnit.SECONDS);
      return r.getKvs().stream().findFirst()
          .map(kv -> kv.getValue().toString(StandardCharsets.UTF_8));
    }
  }

  Arrival await(Duration timeout) throws Exception {
    return arrival.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static ByteSequence leaderKey(Topology t) {
    return ByteSequence.from(t.namespace() + t.scope() + "/leader", StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    watcher.close();
    client.close();
  }
}
