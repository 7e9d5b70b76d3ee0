package io.pgha.drills;

import java.util.List;

/**
 * A drill that takes the leader away (kill, stop): Patroni must fail over, and the failover alert
 * carries how the leader key ended.
 */
interface LeaderLossDrill extends Drill {

  /** How the leader key ends: {@code expired} (its lease ran out) or {@code released} (given up). */
  String keyEnd();

  @Override
  default String target(DrillPlan plan, ClusterFacts facts, ClusterControl control) {
    return facts.leaderBefore();
  }

  @Override
  default List<ExpectedAlert> expectedAlerts(ClusterFacts facts, String target) {
    return List.of(LeaderChange.failoverAlert(facts, keyEnd()));
  }

  /** Without a candidate the leader's loss is an outage; in synchronous mode only the synchronous standby may take over. */
  @Override
  default List<String> foretellingAlerts() {
    return List.of("PghaPatroniNoFailoverCandidate", "PghaPatroniSyncStandbyMissing");
  }

  @Override
  default boolean effectsSeen(DrillAnalysis a) {
    return LeaderChange.seen(a) && alertsSettled(a);
  }
}
