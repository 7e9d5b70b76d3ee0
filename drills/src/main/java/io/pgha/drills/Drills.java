package io.pgha.drills;

/** The drill that runs a plan. */
public final class Drills {

  private Drills() {
  }

  public static Drill of(DrillPlan plan) {
    return switch (plan.kind()) {
      case REPLICA_STOP -> new ReplicaStopDrill();
      case LEADER_KILL -> new LeaderKillDrill();
      case LEADER_STOP -> new LeaderStopDrill();
      case SWITCHOVER -> new SwitchoverDrill();
      case ETCD_ONE_DOWN -> new EtcdOneDownDrill();
      case ETCD_MAJORITY_DOWN -> new EtcdMajorityDownDrill();
      case HAPROXY_DOWN -> new HaproxyDownDrill();
      case LEADER_PARTITION_DCS -> new LeaderPartitionDcsDrill();
      case LEADER_ISOLATED -> new LeaderIsolatedDrill();
      case REPLICA_PARTITION -> new ReplicaPartitionDrill();
      case ETCD_MEMBER_PARTITION -> new EtcdMemberPartitionDrill();
      case LAGGING_FAILOVER -> new LaggingFailoverDrill(Boolean.TRUE.equals(plan.lagLimitRaised()));
      case ETCD_SLOW -> new EtcdSlowDrill();
    };
  }
}
