package io.pgha.drills;

import java.util.Arrays;

/**
 * The drills by the name the command line takes: those of issue 8 stop or kill processes; those of
 * issue 17 ({@link #network}) cut or slow the network between the cluster's hosts.
 */
public enum DrillKind {
  REPLICA_STOP("replica-stop", "stop one replica's Patroni (SIGTERM)"),
  LEADER_KILL("leader-kill", "SIGKILL the leader's Patroni and PostgreSQL"),
  LEADER_STOP("leader-stop", "stop the leader's Patroni (SIGTERM)"),
  SWITCHOVER("switchover", "planned switchover through Patroni's REST API"),
  ETCD_ONE_DOWN("etcd-one-down", "stop one etcd member (SIGTERM)"),
  ETCD_MAJORITY_DOWN("etcd-majority-down", "stop two of the three etcd members (SIGTERM)"),
  HAPROXY_DOWN("haproxy-down", "stop HAProxy (SIGTERM)"),
  LEADER_PARTITION_DCS("leader-partition-dcs", "cut the leader's host off from every etcd member"),
  LEADER_ISOLATED("leader-isolated", "cut the leader's host off from everything (established client sessions stay)"),
  REPLICA_PARTITION("replica-partition", "cut one replica's host off from the leader's (both ways)"),
  ETCD_MEMBER_PARTITION("etcd-member-partition", "cut one etcd member off from its peers (raft traffic)"),
  LAGGING_FAILOVER("lagging-failover", "stop a replica, cut the other off from the leader, write 2 MiB of WAL, "
      + "SIGKILL the leader"),
  ETCD_SLOW("etcd-slow", "add latency to every Patroni member's requests to etcd");

  private final String cliName;
  private final String fault;

  DrillKind(String cliName, String fault) {
    this.cliName = cliName;
    this.fault = fault;
  }

  public String cliName() {
    return cliName;
  }

  /** Whether a person may choose its target (the others break the leader or HAProxy). */
  public boolean takesTarget() {
    return this == REPLICA_STOP || this == SWITCHOVER || this == ETCD_ONE_DOWN || this == ETCD_MAJORITY_DOWN
        || this == REPLICA_PARTITION || this == ETCD_MEMBER_PARTITION || this == LAGGING_FAILOVER;
  }

  /** Network faults: iptables rules matched by the hosts' cgroups, which need root. */
  public boolean network() {
    return ordinal() >= LEADER_PARTITION_DCS.ordinal();
  }

  /** What the drill does to the cluster, in a few words. */
  public String fault() {
    return fault;
  }

  public static DrillKind byName(String name) {
    return Arrays.stream(values()).filter(k -> k.cliName.equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no drill named " + name + " (drills: "
            + String.join(", ", Arrays.stream(values()).map(DrillKind::cliName).toList()) + ", all)"));
  }
}
