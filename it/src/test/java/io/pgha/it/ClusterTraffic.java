package io.pgha.it;

import io.pgha.patroni.api.PatroniCluster;
import io.pgha.traffic.TrafficOptions;
import io.pgha.traffic.TrafficRun;
import io.pgha.traffic.TrafficSummary;
import io.pgha.traffic.TrafficTarget;
import java.util.List;

/** Demo traffic (the traffic API, as the drills use it) and the cluster's roles, for the tests. */
final class ClusterTraffic {
  private ClusterTraffic() {}

  /** Starts the default traffic (50 operations/s, half writes) through the cluster's HAProxy. */
  static TrafficRun start(TestCluster cluster) throws Exception {
    return TrafficRun.start(TrafficTarget.of(cluster.workdir(), TestCluster.DATABASE),
        TrafficOptions.defaults(cluster.workdir().resolve("traffic")));
  }

  /** Stops the run and prints its summary line by line, as the drills' notes want the figures. */
  static TrafficSummary stop(String test, TrafficRun run) {
    TrafficSummary s = run.stop();
    System.out.printf("%s traffic: writes %d ok %d failed, reads %d ok %d failed, longest write outage %d ms,"
            + " ledger %d acknowledged %d found %d missing%n", test, s.writesOk(), s.writesFailed(), s.readsOk(),
        s.readsFailed(), s.longestWriteOutageMillis(), s.ledgerCheck().acknowledged(), s.ledgerCheck().found(),
        s.lostWrites());
    return s;
  }

  /** The one leader as Patroni sees it; fails unless there is exactly one. */
  static String leader(TestCluster cluster) {
    List<String> leaders = cluster.state().members().orElseThrow().stream()
        .filter(PatroniCluster.Member::leader).map(PatroniCluster.Member::name).toList();
    if (leaders.size() != 1) {
      throw new AssertionError("expected one leader, found " + leaders);
    }
    return leaders.get(0);
  }

  /** The members other than the leader, in name order. */
  static List<String> replicas(TestCluster cluster, String leader) {
    return cluster.topology().members().stream().map(m -> m.name()).filter(n -> !n.equals(leader)).sorted().toList();
  }
}
