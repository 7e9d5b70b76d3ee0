package io.pgha.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchEvent.EventType;
import org.junit.jupiter.api.Test;

/** The watch events as jetcd delivers them for Patroni's leader key, with prev_kv on. */
class LeaderKeyEventTest {
  private static final ByteSequence NO_NAMESPACE = ByteSequence.EMPTY;

  private static KeyValue kv(String value, long createRevision, long modRevision, long version, long lease) {
    return new KeyValue(io.etcd.jetcd.api.KeyValue.newBuilder()
        .setKey(ByteString.copyFromUtf8("/service/pgha/leader"))
        .setValue(ByteString.copyFromUtf8(value))
        .setCreateRevision(createRevision).setModRevision(modRevision).setVersion(version).setLease(lease)
        .build(), NO_NAMESPACE);
  }

  @Test
  void aPutNamesTheHolderAndItsLease() {
    WatchEvent e = new WatchEvent(kv("pg-2", 40, 40, 1, 0x6311a215f432fa1bL), kv("", 0, 0, 0, 0), EventType.PUT);

    assertThat(LeaderKeyEvent.of(e)).contains(LeaderKeyEvent.put("pg-2", 40, 0x6311a215f432fa1bL));
  }

  @Test
  void aDeleteCarriesTheRevisionOfTheDelete() {
    // etcd's delete event: the key with an empty value and mod_revision set to the delete's revision.
    WatchEvent e = new WatchEvent(kv("", 0, 41, 0, 0), kv("pg-2", 40, 40, 1, 0x6311a215f432fa1bL), EventType.DELETE);

    assertThat(LeaderKeyEvent.of(e)).contains(LeaderKeyEvent.delete(41));
  }

  @Test
  void anUnknownEventTypeIsIgnored() {
    WatchEvent e = new WatchEvent(kv("pg-2", 40, 40, 1, 0), kv("", 0, 0, 0, 0), EventType.UNRECOGNIZED);

    assertThat(LeaderKeyEvent.of(e)).isEmpty();
  }
}
