package io.pgha.lab.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.lab.client.HaproxyStats;
import io.pgha.lab.client.Http;
import io.pgha.lab.topology.Topology;
import io.pgha.patroni.api.PatroniCluster;
import io.pgha.patroni.api.PatroniJson;
import io.pgha.testkit.Recorded;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterStateTest {
  static final Topology T = Topology.of(Path.of("/var/lib/pgha/default"), 0);
  static final List<ClusterState.EtcdView> ETCD_OK = List.of(
      new ClusterState.EtcdView("etcd-1", "127.0.0.11", true, true, false),
      new ClusterState.EtcdView("etcd-2", "127.0.0.12", true, true, true),
      new ClusterState.EtcdView("etcd-3", "127.0.0.13", true, true, false));

  static Optional<List<PatroniCluster.Member>> members(String recorded) throws Exception {
    return Optional.of(PatroniJson.cluster(Http.JSON.readTree(Recorded.text(recorded))).members());
  }

  static Optional<List<HaproxyStats.ServerState>> servers(String recorded) {
    return Optional.of(HaproxyStats.parse(Recorded.text(recorded)));
  }

  static ClusterState healthy() throws Exception {
    return new ClusterState(T, members("patroni-cluster.json"), ETCD_OK, servers("haproxy-stats.csv"));
  }

  @Test
  void aHealthyClusterHasNoProblems() throws Exception {
    assertThat(healthy().problems()).isEmpty();
    assertThat(healthy().healthy()).isTrue();
  }

  @Test
  void aStoppedReplicaIsReportedByPatroniAndHaproxy() throws Exception {
    ClusterState s = new ClusterState(T, members("patroni-cluster-replica-down.json"), ETCD_OK,
        servers("haproxy-stats-replica-down.csv"));
    assertThat(s.problems()).containsExactly("member pg-3 is stopped",
        "HAProxy read backend routes to [pg-1] (replicas: [pg-1, pg-3])");
  }

  @Test
  void etcdWithoutQuorum() throws Exception {
    List<ClusterState.EtcdView> etcd = List.of(
        new ClusterState.EtcdView("etcd-1", "127.0.0.11", true, false, false),
        new ClusterState.EtcdView("etcd-2", "127.0.0.12", false, false, false),
        new ClusterState.EtcdView("etcd-3", "127.0.0.13", false, false, false));
    ClusterState s = new ClusterState(T, members("patroni-cluster.json"), etcd, servers("haproxy-stats.csv"));
    assertThat(s.problems()).containsExactly("etcd member etcd-1 is unhealthy",
        "etcd member etcd-2 does not answer", "etcd member etcd-3 does not answer",
        "etcd has no quorum (0/3 healthy)");
  }

  @Test
  void oneEtcdMemberDownStillHasQuorum() throws Exception {
    List<ClusterState.EtcdView> etcd = List.of(ETCD_OK.get(0), ETCD_OK.get(1),
        new ClusterState.EtcdView("etcd-3", "127.0.0.13", false, false, false));
    ClusterState s = new ClusterState(T, members("patroni-cluster.json"), etcd, servers("haproxy-stats.csv"));
    assertThat(s.problems()).containsExactly("etcd member etcd-3 does not answer");
  }

  @Test
  void writesRoutedToAMemberThatIsNotTheLeader() throws Exception {
    List<HaproxyStats.ServerState> sv = List.of(
        new HaproxyStats.ServerState("write", "pg-1", "UP"),
        new HaproxyStats.ServerState("write", "pg-2", "UP"),
        new HaproxyStats.ServerState("read", "pg-1", "UP"),
        new HaproxyStats.ServerState("read", "pg-3", "UP"));
    ClusterState s = new ClusterState(T, members("patroni-cluster.json"), ETCD_OK, Optional.of(sv));
    assertThat(s.problems()).containsExactly("HAProxy write backend routes to [pg-1, pg-2] (leader: [pg-2])");
  }

  @Test
  void nothingAnswers() {
    ClusterState s = new ClusterState(T, Optional.empty(), ETCD_OK, Optional.empty());
    assertThat(s.problems()).containsExactly("no Patroni member answers");
  }
}
