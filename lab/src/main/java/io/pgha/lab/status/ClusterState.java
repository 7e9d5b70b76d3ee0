package io.pgha.lab.status;

import io.pgha.lab.client.HaproxyStats;
import io.pgha.lab.topology.Topology;
import io.pgha.patroni.api.PatroniCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code pgha status} saw: Patroni's member list, each etcd member and HAProxy's servers.
 * {@link #problems()} turns it into the reasons the cluster is degraded (none when healthy).
 */
public record ClusterState(Topology topology, Optional<List<PatroniCluster.Member>> members,
    List<EtcdView> etcd, Optional<List<HaproxyStats.ServerState>> haproxy) {

  /** One etcd member: answering at all, healthy (sees quorum), and whether it is the raft leader. */
  public record EtcdView(String name, String host, boolean reachable, boolean healthy, boolean leader) {}

  public List<String> problems() {
    List<String> out = new ArrayList<>();
    long healthyEtcd = etcd.stream().filter(EtcdView::healthy).count();
    for (EtcdView e : etcd) {
      if (!e.healthy()) {
        out.add("etcd member " + e.name() + (e.reachable() ? " is unhealthy" : " does not answer"));
      }
    }
    if (healthyEtcd * 2 <= etcd.size()) {
      out.add("etcd has no quorum (" + healthyEtcd + "/" + etcd.size() + " healthy)");
    }
    if (members.isEmpty()) {
      out.add("no Patroni member answers");
      return out;
    }
    List<PatroniCluster.Member> ms = members.get();
    List<PatroniCluster.Member> leaders = ms.stream().filter(PatroniCluster.Member::leader).toList();
    if (leaders.size() != 1) {
      out.add("expected exactly one leader, found " + leaders.size());
    }
    Set<String> seen = ms.stream().map(PatroniCluster.Member::name).collect(Collectors.toSet());
    for (Topology.Member m : topology.members()) {
      if (!seen.contains(m.name())) {
        out.add("member " + m.name() + " is not registered in the DCS");
      }
    }
    for (PatroniCluster.Member m : ms) {
      boolean ok = m.leader() ? "running".equals(m.state())
          : "running".equals(m.state()) || "streaming".equals(m.state());
      if (!ok) {
        out.add("member " + m.name() + " is " + m.state());
      }
    }
    if (haproxy.isEmpty()) {
      out.add("HAProxy stats do not answer");
    } else {
      List<HaproxyStats.ServerState> servers = haproxy.get();
      List<String> writeUp = HaproxyStats.upIn(servers, HaproxyStats.WRITE).stream()
          .map(HaproxyStats.ServerState::server).toList();
      if (writeUp.size() != 1 || (leaders.size() == 1 && !writeUp.contains(leaders.get(0).name()))) {
        out.add("HAProxy write backend routes to " + writeUp + " (leader: "
            + leaders.stream().map(PatroniCluster.Member::name).toList() + ")");
      }
      Set<String> readUp = HaproxyStats.upIn(servers, HaproxyStats.READ).stream()
          .map(HaproxyStats.ServerState::server).collect(Collectors.toSet());
      Set<String> replicas = ms.stream().filter(m -> !m.leader()).map(PatroniCluster.Member::name)
          .collect(Collectors.toSet());
      if (!readUp.equals(replicas) || replicas.size() != topology.members().size() - 1) {
        out.add("HAProxy read backend routes to " + readUp.stream().sorted().toList()
            + " (replicas: " + replicas.stream().sorted().toList() + ")");
      }
    }
    return out;
  }

  public boolean healthy() {
    return problems().isEmpty();
  }
}
