package io.pgha.etcd;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One change of a scope's leader key: a put (the value is the holder's member name) or a delete
 * (Patroni released the key, or its lease expired: etcd reports both as a delete).
 *
 * @param revision the etcd revision of the change, which orders events and drops duplicates
 * @param recovered true when the watch did not deliver it in time and a resync found it
 */
public record LeaderKeyEvent(Kind kind, String holder, long revision, long lease, boolean recovered) {

  public enum Kind { PUT, DELETE }

  public static LeaderKeyEvent put(String holder, long revision, long lease) {
    return new LeaderKeyEvent(Kind.PUT, holder, revision, lease, false);
  }

  public static LeaderKeyEvent delete(long revision) {
    return new LeaderKeyEvent(Kind.DELETE, null, revision, 0, false);
  }

  public LeaderKeyEvent asRecovered() {
    return new LeaderKeyEvent(kind, holder, revision, lease, true);
  }

  /** The event a watch delivered, or empty for event types etcd may add later. */
  public static Optional<LeaderKeyEvent> of(WatchEvent event) {
    KeyValue kv = event.getKeyValue();
    return switch (event.getEventType()) {
      case PUT -> Optional.of(put(kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision(), kv.getLease()));
      // etcd sets the deleted key's mod revision to the revision of the delete.
      case DELETE -> Optional.of(delete(kv.getModRevision()));
      default -> Optional.empty();
    };
  }
}
