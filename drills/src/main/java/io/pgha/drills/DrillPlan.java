package io.pgha.drills;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One drill run as planned: which drill, whether the cluster runs in Patroni's synchronous mode for
 * it, for etcd-majority-down which failsafe variant, for lagging-failover whether maximum_lag_on_failover
 * is raised above the lag.
 *
 * @param failsafe failsafe_mode during the drill; null to leave it as it is (every drill but
 *     etcd-majority-down)
 * @param lagLimitRaised lagging-failover only: true to raise maximum_lag_on_failover above the lag the
 *     drill builds (a promotion that may lose writes), false to leave Patroni's limit below it (no
 *     promotion); null for every other drill
 * @param target the member to break instead of the drill's own choice; null for the default
 */
public record DrillPlan(DrillKind kind, boolean sync, Boolean failsafe, Boolean lagLimitRaised, String target) {

  public DrillPlan(DrillKind kind, boolean sync, Boolean failsafe, String target) {
    this(kind, sync, failsafe, null, target);
  }

  /** The name in tables and file names: {@code leader-kill-sync}, {@code etcd-majority-down-failsafe-on}. */
  public String id() {
    return kind.cliName() + (sync ? "-sync" : "") + (failsafe == null ? "" : failsafe ? "-failsafe-on" : "-failsafe-off")
        + (lagLimitRaised == null ? "" : lagLimitRaised ? "-limit-raised" : "-over-limit");
  }

  /** The name for people: {@code leader-kill --sync}, {@code etcd-majority-down (failsafe on)}. */
  public String title() {
    return kind.cliName() + (sync ? " --sync" : "") + (failsafe == null ? "" : failsafe ? " (failsafe on)" : " (failsafe off)")
        + (lagLimitRaised == null ? "" : lagLimitRaised ? " (lag limit raised)" : " (lag over the limit)");
  }

  /**
   * The target a person chose with {@code --target}, if it is one of {@code allowed}; empty when none
   * was chosen. A choice outside {@code allowed} is refused, naming what it should have been.
   */
  public Optional<String> chosenTarget(List<String> allowed, String what) {
    if (target == null) {
      return Optional.empty();
    }
    if (!allowed.contains(target)) {
      throw new IllegalArgumentException(target + " is not " + what + " (choose from " + allowed + ")");
    }
    return Optional.of(target);
  }

  /**
   * The runs one drill name stands for: etcd-majority-down is measured with failsafe off and on,
   * lagging-failover with the lag over maximum_lag_on_failover and with the limit raised.
   */
  public static List<DrillPlan> of(DrillKind kind, boolean sync, String target) {
    if (kind == DrillKind.ETCD_MAJORITY_DOWN) {
      return List.of(new DrillPlan(kind, sync, false, target), new DrillPlan(kind, sync, true, target));
    }
    if (kind == DrillKind.LAGGING_FAILOVER) {
      return List.of(new DrillPlan(kind, sync, null, false, target), new DrillPlan(kind, sync, null, true, target));
    }
    return List.of(new DrillPlan(kind, sync, null, target));
  }

  /**
   * Every drill, in an order that keeps each measurable: leader-kill is the first leader change, so
   * PghaPatroniFailover (which stays firing for 10 minutes after a change) is delivered for it; the
   * leader-kill in synchronous mode follows it. The network drills come after the process drills, and
   * lagging-failover with the limit raised runs once more in synchronous mode. With {@code sync}, every
   * drill runs in synchronous mode.
   */
  public static List<DrillPlan> all(boolean sync) {
    List<DrillPlan> plans = new ArrayList<>();
    plans.addAll(of(DrillKind.REPLICA_STOP, sync, null));
    plans.addAll(of(DrillKind.LEADER_KILL, sync, null));
    if (!sync) {
      plans.addAll(of(DrillKind.LEADER_KILL, true, null));
    }
    plans.addAll(of(DrillKind.LEADER_STOP, sync, null));
    plans.addAll(of(DrillKind.SWITCHOVER, sync, null));
    plans.addAll(of(DrillKind.ETCD_ONE_DOWN, sync, null));
    plans.addAll(of(DrillKind.ETCD_MAJORITY_DOWN, sync, null));
    plans.addAll(of(DrillKind.HAPROXY_DOWN, sync, null));
    plans.addAll(network(sync));
    return plans;
  }

  /** The network drills of {@link #all}, in its order. */
  public static List<DrillPlan> network(boolean sync) {
    List<DrillPlan> plans = new ArrayList<>();
    plans.addAll(of(DrillKind.LEADER_PARTITION_DCS, sync, null));
    plans.addAll(of(DrillKind.LEADER_ISOLATED, sync, null));
    plans.addAll(of(DrillKind.REPLICA_PARTITION, sync, null));
    plans.addAll(of(DrillKind.ETCD_MEMBER_PARTITION, sync, null));
    plans.addAll(of(DrillKind.LAGGING_FAILOVER, sync, null));
    if (!sync) {
      plans.add(new DrillPlan(DrillKind.LAGGING_FAILOVER, true, null, true, null));
    }
    plans.addAll(of(DrillKind.ETCD_SLOW, sync, null));
    return plans;
  }
}
