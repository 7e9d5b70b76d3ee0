package io.pgha.lab.net;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One iptables rule of a cluster's fault chain. Every rule names one of the cluster's own listeners
 * ({@link #clusterEndpoint}), as destination or, for the answers on a connection, as source, so no rule
 * can touch another cluster's traffic on the same loopback addresses.
 *
 * @param table {@code filter} for drops, {@code nat} for the redirects to a {@link DelayProxy}
 * @param cgroup the host group whose sockets the rule applies to ({@link HostCgroups#path}); null for any
 * @param clusterEndpoint the cluster's listener the rule is about
 * @param towards true when the packets go to {@code clusterEndpoint}, false when they come from it
 * @param peer the other end, when the rule is about one connection (its client's address and port); else null
 * @param newOnly only connection attempts (SYN): connections already established go on
 * @param redirectTo for a nat rule: where the connections are sent instead
 */
public record FaultRule(String table, String cgroup, Endpoint clusterEndpoint, boolean towards, Endpoint peer,
                        boolean newOnly, Endpoint redirectTo) {

  public static final String FILTER = "filter";
  public static final String NAT = "nat";

  /** Every packet a host's sockets send to a listener of the cluster (new and established connections). */
  public static FaultRule dropFrom(String cgroup, Endpoint to) {
    return new FaultRule(FILTER, cgroup, to, true, null, false, null);
  }

  /** The answers a listener sends on one connection, to its client's end. */
  public static FaultRule dropAnswers(Endpoint server, Endpoint client) {
    return new FaultRule(FILTER, null, server, false, client, false, null);
  }

  /** New connections to a listener, from anyone; established ones go on. */
  public static FaultRule dropNewConnections(Endpoint to) {
    return new FaultRule(FILTER, null, to, true, null, true, null);
  }

  /** A host's new connections to a listener go to {@code proxy} instead. */
  public static FaultRule redirect(String cgroup, Endpoint to, Endpoint proxy) {
    return new FaultRule(NAT, cgroup, to, true, null, false, proxy);
  }

  /** The rule as iptables takes it after {@code -A <chain>}. */
  public List<String> args() {
    List<String> a = new ArrayList<>();
    if (cgroup != null) {
      a.addAll(List.of("-m", "cgroup", "--path", cgroup));
    }
    String here = towards ? "-d" : "-s";
    String there = towards ? "-s" : "-d";
    a.addAll(List.of(here, clusterEndpoint.host() + "/32"));
    if (peer != null) {
      a.addAll(List.of(there, peer.host() + "/32"));
    }
    a.addAll(List.of("-p", "tcp", towards ? "--dport" : "--sport", Integer.toString(clusterEndpoint.port())));
    if (peer != null) {
      a.addAll(List.of(towards ? "--sport" : "--dport", Integer.toString(peer.port())));
    }
    if (newOnly) {
      a.add("--syn");
    }
    if (redirectTo != null) {
      a.addAll(List.of("-j", "DNAT", "--to-destination", redirectTo.toString()));
    } else {
      a.addAll(List.of("-j", "DROP"));
    }
    return a;
  }

  /** Refuses a rule about a listener that is not one of the cluster's. */
  public FaultRule requireWithin(Collection<Endpoint> clusterListeners) {
    if (!clusterListeners.contains(clusterEndpoint)) {
      throw new IllegalArgumentException(clusterEndpoint + " is not a listener of this cluster: not touching it");
    }
    return this;
  }

  /** For people: {@code pg-1's sockets -> 127.0.0.11:2379 DROP}. */
  @Override
  public String toString() {
    return String.join(" ", args());
  }
}
