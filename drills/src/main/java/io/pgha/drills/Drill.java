package io.pgha.drills;

import java.time.Duration;
import java.util.List;

/**
 * One fault drill ({@link Drills#of} gives the one of a {@link DrillPlan}): what it breaks, what it
 * waits to see, and how it judges what was recorded. The common sequence (steady state, fault,
 * observation, restore, convergence, ledger check) is {@link DrillRunner}'s; {@link #effectsSeen}
 * and {@link #judge} are pure.
 */
public interface Drill {

  /** What the fault hits: a member, etcd members or HAProxy, chosen before the traffic starts. */
  String target(DrillPlan plan, ClusterFacts facts, ClusterControl control);

  /** The alerts the receiver must get. */
  List<ExpectedAlert> expectedAlerts(ClusterFacts facts, String target);

  /**
   * What must happen before the fault, with traffic running and the steady state reached (a replica
   * stopped, a lag built up); marked on the timeline before the fault. Nothing by default.
   */
  default void prepare(DrillContext ctx) throws Exception {
  }

  /**
   * Alerts that, pending or firing before the fault, foretell how the drill goes: a leader killed
   * while PghaPatroniNoFailoverCandidate fires has nobody to take over. The verdict lists those that
   * were active, beside the alerts delivered after the fault. None by default.
   */
  default List<String> foretellingAlerts() {
    return List.of();
  }

  /** Breaks the cluster. The runner has marked the fault's moment just before. */
  void inject(DrillContext ctx) throws Exception;

  /**
   * True for a drill that keeps a client session straight to the old leader (not through HAProxy) from
   * before the fault: writes on it show until when the old leader took writes, whatever HAProxy did.
   */
  default boolean holdsSessionToLeader() {
    return false;
  }

  /** What the exporters and Patroni should show after the fault; none by default. */
  default List<Detection> effects(DrillAnalysis a) {
    return List.of();
  }

  /**
   * True once everything the drill waits for has shown (or cannot any more): observation may end.
   * By default: every one of its {@link #effects} seen and its expected alerts settled.
   */
  default boolean effectsSeen(DrillAnalysis a) {
    return effects(a).stream().allMatch(Detection::seen) && alertsSettled(a);
  }

  /**
   * The longest the fault is left in place, waiting for {@link #effectsSeen}. By default 150 s: an
   * alert with {@code for: 1m} reaches the receiver within it (evaluation, group wait and all).
   */
  default Duration observeAtMost(ClusterFacts facts) {
    return Duration.ofSeconds(150);
  }

  /** False for a drill that leaves nothing to restart (a switchover). */
  default boolean needsRestore() {
    return true;
  }

  Judgement judge(DrillAnalysis a);

  /** This drill's expected alerts for the recorded target, each delivered or known to be undeliverable. */
  default boolean alertsSettled(DrillAnalysis a) {
    return alertsSettled(a, expectedAlerts(a.recording().facts(), a.recording().target()));
  }

  /** Every expected alert delivered, or known to be undeliverable (already active before the fault). */
  static boolean alertsSettled(DrillAnalysis a, List<ExpectedAlert> expected) {
    return expected.stream().map(e -> a.expectedAlert(e.alertname(), e.labels()))
        .allMatch(d -> d.delivered() || d.alreadyActive());
  }
}
