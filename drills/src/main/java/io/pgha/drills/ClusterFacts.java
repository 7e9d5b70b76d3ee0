package io.pgha.drills;

import java.util.List;

/**
 * What the drill knew about the cluster before the fault.
 *
 * @param scope the Patroni scope
 * @param ttl Patroni's ttl, loop_wait and retry_timeout from its dynamic configuration ({@code GET /config})
 * @param leaderBefore the member holding the leader key at the fault
 * @param members every Patroni member, in cluster.json order
 * @param etcd every etcd member, in cluster.json order
 */
public record ClusterFacts(String scope, int ttl, int loopWait, int retryTimeout, String leaderBefore, List<String> members,
                           List<String> etcd) {

  public ClusterFacts {
    members = List.copyOf(members);
    etcd = List.copyOf(etcd);
  }

  public List<String> replicasBefore() {
    return members.stream().filter(m -> !m.equals(leaderBefore)).toList();
  }
}
