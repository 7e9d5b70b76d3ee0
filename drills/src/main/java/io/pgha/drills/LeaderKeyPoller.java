package io.pgha.drills;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.lab.client.EtcdApi;
import io.pgha.lab.client.Http;
import io.pgha.lab.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Reads Patroni's leader key from etcd's JSON gateway, and the revision of the scope's {@code status}
 * key (the leader's lease renewals). Serializable reads: any live member answers from its own copy,
 * also without quorum (when the key cannot change anyway), and a dead member is skipped at once.
 */
final class LeaderKeyPoller implements Runnable {

  private static final EtcdApi ETCD = new EtcdApi(new Http(Duration.ofMillis(500)));

  private final List<Topology.EtcdMember> etcd;
  private final String leaderKey;
  private final String statusKey;
  private final LongSupplier clock;
  private final Recorder<LeaderKeySample> into;
  private int preferred;

  LeaderKeyPoller(List<Topology.EtcdMember> etcd, String leaderKey, LongSupplier clock,
                  Recorder<LeaderKeySample> into) {
    this.etcd = List.copyOf(etcd);
    this.leaderKey = leaderKey;
    this.statusKey = leaderKey.substring(0, leaderKey.length() - "leader".length()) + "status";
    this.clock = clock;
    this.into = into;
  }

  static String leaderKey(Topology t) {
    return t.namespace() + t.scope() + "/leader";
  }

  @Override
  public void run() {
    for (int i = 0; i < etcd.size(); i++) {
      int index = (preferred + i) % etcd.size();
      Optional<JsonNode> range = ETCD.range(etcd.get(index), leaderKey, true);
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      if (range.isPresent()) {
        preferred = index;
        long at = clock.getAsLong();
        long status = ETCD.range(etcd.get(index), statusKey, true).map(EtcdApi::modRevision).orElse(-1L);
        into.add(new LeaderKeySample(at, true, EtcdApi.value(range.get()), status));
        return;
      }
    }
    into.add(new LeaderKeySample(clock.getAsLong(), false, null));
  }
}
