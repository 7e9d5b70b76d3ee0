package io.pgha.drills;

import java.util.Arrays;

/** The drills of issue 8, by the name the command line takes. */
public enum DrillKind {
  REPLICA_STOP("replica-stop", "stop one replica's Patroni (SIGTERM)"),
  LEADER_KILL("leader-kill", "SIGKILL the leader's Patroni and PostgreSQL"),
  LEADER_STOP("leader-stop", "stop the leader's Patroni (SIGTERM)"),
  SWITCHOVER("switchover", "planned switchover through Patroni's REST API"),
  ETCD_ONE_DOWN("etcd-one-down", "stop one etcd member (SIGTERM)"),
  ETCD_MAJORITY_DOWN("etcd-majority-down", "stop two of the three etcd members (SIGTERM)"),
  HAPROXY_DOWN("haproxy-down", "stop HAProxy (SIGTERM)");

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
    return this == REPLICA_STOP || this == SWITCHOVER || this == ETCD_ONE_DOWN || this == ETCD_MAJORITY_DOWN;
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
