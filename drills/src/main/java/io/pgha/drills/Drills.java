package io.pgha.drills;

/** The drill that runs a kind. */
public final class Drills {

  private Drills() {
  }

  public static Drill of(DrillKind kind) {
    return switch (kind) {
      case REPLICA_STOP -> new ReplicaStopDrill();
      case LEADER_KILL -> new LeaderKillDrill();
      case LEADER_STOP -> new LeaderStopDrill();
      case SWITCHOVER -> new SwitchoverDrill();
      case ETCD_ONE_DOWN -> new EtcdOneDownDrill();
      case ETCD_MAJORITY_DOWN -> new EtcdMajorityDownDrill();
      case HAPROXY_DOWN -> new HaproxyDownDrill();
    };
  }
}
