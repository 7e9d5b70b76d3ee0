package io.pgha.lab.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusReportTest {

  @Test
  void rendersLikePatronictlList() throws Exception {
    assertThat(StatusReport.render(ClusterStateTest.healthy())).isEqualTo("""
        Cluster pgha (work dir /var/lib/pgha/default, offset 0)
        +--------+------------+---------+---------+----+-----------+
        | Member | Host       | Role    | State   | TL | Lag in MB |
        +--------+------------+---------+---------+----+-----------+
        | pg-1   | 127.0.0.21 | Replica | running | 5  | 0         |
        | pg-2   | 127.0.0.22 | Leader  | running | 5  |           |
        | pg-3   | 127.0.0.23 | Replica | running | 5  | 0         |
        +--------+------------+---------+---------+----+-----------+

        +--------+------------------------+---------+--------+
        | etcd   | Client URL             | Healthy | Leader |
        +--------+------------------------+---------+--------+
        | etcd-1 | http://127.0.0.11:2379 | yes     |        |
        | etcd-2 | http://127.0.0.12:2379 | yes     | *      |
        | etcd-3 | http://127.0.0.13:2379 | yes     |        |
        +--------+------------------------+---------+--------+

        +---------+------+--------+--------+
        | HAProxy | Port | Server | Status |
        +---------+------+--------+--------+
        | write   | 5000 | pg-1   | DOWN   |
        | write   | 5000 | pg-2   | UP     |
        | write   | 5000 | pg-3   | DOWN   |
        | read    | 5001 | pg-1   | UP     |
        | read    | 5001 | pg-2   | DOWN   |
        | read    | 5001 | pg-3   | UP     |
        +---------+------+--------+--------+

        healthy
        """);
  }

  @Test
  void degradedListsTheProblems() throws Exception {
    ClusterState s = new ClusterState(ClusterStateTest.T,
        ClusterStateTest.members("patroni-cluster-replica-down.json"), ClusterStateTest.ETCD_OK,
        ClusterStateTest.servers("haproxy-stats-replica-down.csv"));
    String text = StatusReport.render(s);
    assertThat(text).contains("| pg-3   | 127.0.0.23 | Replica | stopped |    | unknown   |");
    assertThat(text).endsWith("""
        DEGRADED:
          - member pg-3 is stopped
          - HAProxy read backend routes to [pg-1] (replicas: [pg-1, pg-3])
        """);
  }
}
