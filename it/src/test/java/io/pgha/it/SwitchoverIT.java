package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.lab.client.HaproxyStats;
import io.pgha.lab.status.ClusterState;
import io.pgha.patroni.api.PatroniCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Planned switchover, and status reporting a degraded cluster; both leave the cluster as found. */
@PghaCluster.Test
class SwitchoverIT {

  private static String leader(TestCluster cluster) {
    List<String> leaders = cluster.state().members().orElseThrow().stream()
        .filter(PatroniCluster.Member::leader).map(PatroniCluster.Member::name).toList();
    assertThat(leaders).hasSize(1);
    return leaders.get(0);
  }

  @Test
  void switchoverMovesTheLeaderAndHaproxyFollows(TestCluster cluster) throws Exception {
    cluster.awaitHealthy(Duration.ofSeconds(60));
    String before = leader(cluster);
    String candidate = before.equals("pg-2") ? "pg-3" : "pg-2";

    TestCluster.CliResult r = cluster.pgha("switchover", "--candidate", candidate);
    assertThat(r.exitCode()).as(r.output()).isZero();
    // The command returns only once writes are routed to the new leader: no waiting here.
    assertThat(leader(cluster)).isEqualTo(candidate);
    assertThat(HaproxyStats.upIn(cluster.state().haproxy().orElseThrow(), "write"))
        .extracting(HaproxyStats.ServerState::server).containsExactly(candidate);
    try (Connection c = cluster.connectWrite("app"); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery(), host(inet_server_addr())")) {
      rs.next();
      assertThat(rs.getBoolean(1)).isFalse();
      assertThat(rs.getString(2)).isEqualTo(cluster.topology().member(candidate).host());
    }

    cluster.awaitHealthy(Duration.ofSeconds(60));
    TestCluster.CliResult back = cluster.pgha("switchover", "--candidate", before);
    assertThat(back.exitCode()).as(back.output()).isZero();
    cluster.awaitHealthy(Duration.ofSeconds(60));
  }

  @Test
  void switchoverToTheLeaderItselfIsRefused(TestCluster cluster) {
    TestCluster.CliResult r = cluster.pgha("switchover", "--candidate", leader(cluster));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("is the leader already");
  }

  @Test
  void statusIsDegradedWhileAReplicaIsStopped(TestCluster cluster) {
    cluster.awaitHealthy(Duration.ofSeconds(60));
    String replica = cluster.topology().members().stream().map(m -> m.name())
        .filter(n -> !n.equals(leader(cluster))).findFirst().orElseThrow();
    cluster.stopPatroni(replica);
    try {
      TestCluster.CliResult status = cluster.pgha("status");
      assertThat(status.exitCode()).as(status.output()).isEqualTo(1);
      assertThat(status.stdout()).contains("DEGRADED");
      ClusterState s = cluster.state();
      assertThat(s.problems()).anyMatch(p -> p.contains(replica));
    } finally {
      cluster.heal();
    }
    cluster.awaitHealthy(Duration.ofSeconds(60));
    assertThat(cluster.pgha("status").exitCode()).isZero();
  }
}
