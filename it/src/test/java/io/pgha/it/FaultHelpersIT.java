package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.lab.deploy.ProcFs;
import io.pgha.lab.status.ClusterState;
import io.pgha.patroni.api.PatroniCluster;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The fault helpers of {@link TestCluster} do what they say, and heal() undoes them. */
@PghaCluster.Test
class FaultHelpersIT {

  private static String aReplica(TestCluster cluster) {
    return cluster.state().members().orElseThrow().stream().filter(m -> !m.leader())
        .map(PatroniCluster.Member::name).findFirst().orElseThrow();
  }

  @Test
  void oneEtcdMemberStoppedKeepsTheQuorumAndHealBringsItBack(TestCluster cluster) throws Exception {
    cluster.awaitHealthy(Duration.ofSeconds(60));
    long pid = cluster.pid("etcd-3").orElseThrow();
    cluster.stopEtcd("etcd-3");
    try {
      assertThat(ProcFs.alive(pid)).isFalse();
      ClusterState s = cluster.state();
      assertThat(s.problems()).containsExactly("etcd member etcd-3 does not answer");
      try (Connection c = cluster.connectWrite("app"); Statement st = c.createStatement()) {
        st.executeUpdate("INSERT INTO events (owner_id, kind, token) "
            + "SELECT min(id), 'it-etcd', gen_random_uuid() FROM owners");
      }
    } finally {
      cluster.heal();
    }
    assertThat(cluster.pid("etcd-3")).isPresent();
    cluster.awaitHealthy(Duration.ofSeconds(30));
  }

  @Test
  void aKilledReplicaTakesItsPostmasterAlongAndHealRestartsIt(TestCluster cluster) {
    cluster.awaitHealthy(Duration.ofSeconds(60));
    String replica = aReplica(cluster);
    long patroni = cluster.pid(replica).orElseThrow();
    long postmaster = cluster.postmasterPid(replica).orElseThrow();
    cluster.killPatroni(replica);
    try {
      assertThat(ProcFs.alive(patroni)).isFalse();
      assertThat(ProcFs.alive(postmaster)).isFalse();
      assertThat(cluster.pid(replica)).isEmpty();
    } finally {
      cluster.heal();
    }
    assertThat(cluster.postmasterPid(replica)).isPresent();
    cluster.awaitHealthy(Duration.ofSeconds(30));
  }
}
