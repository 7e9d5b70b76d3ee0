package io.pgha.lab.faults;

import io.pgha.lab.deploy.ProcFs;
import io.pgha.lab.deploy.Supervisor;
import io.pgha.lab.deploy.Users;
import io.pgha.lab.net.DelayProxy;
import io.pgha.lab.net.Endpoint;
import io.pgha.lab.net.FaultChain;
import io.pgha.lab.net.FaultRule;
import io.pgha.lab.net.HostCgroups;
import io.pgha.lab.net.NetFaultRecord;
import io.pgha.lab.net.Sockets;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Network faults between the "hosts" of one cluster: each host is a loopback address with its own
 * cgroup, and a fault is a set of {@link FaultRule}s in the cluster's chain (every one naming one of the
 * cluster's listeners), or {@link DelayProxy}s its connections are redirected through. A cut is both
 * ways of every connection: what a host sends to a listener, and what the listener answers on the
 * connections that host already has open (found with {@code ss}). {@link #heal} removes all of it; so
 * do a shutdown hook (Ctrl-C, the JVM's end) and the next {@code pgha up} or {@code down} (the
 * {@link NetFaultRecord} in the work dir), should this JVM die.
 */
public final class NetworkFaults {

  private final Topology t;
  private final HostCgroups cgroups;
  private final FaultChain chain;
  private final NetFaultRecord record;
  private final List<FaultRule> installed = new ArrayList<>();
  private final List<DelayProxy> proxies = new ArrayList<>();
  private Thread shutdownHook;

  NetworkFaults(Topology t, HostCgroups cgroups) {
    this.t = t;
    this.cgroups = cgroups;
    this.chain = new FaultChain(t);
    this.record = new NetFaultRecord(t);
  }

  /** Network faults need root (iptables, cgroups) and cgroup v2; the message says what is missing. */
  static NetworkFaults of(Topology t) {
    if (!Users.isRoot()) {
      throw new IllegalStateException("network faults need root (iptables rules matched by cgroup): run as root");
    }
    HostCgroups cgroups = HostCgroups.of(t).orElseThrow(() -> new IllegalStateException(
        "network faults need cgroup v2 (no cgroup2 file system in /proc/mounts)"));
    return new NetworkFaults(t, cgroups);
  }

  /** Whether the host's processes run in its cgroup (they do when pgha up started them as root). */
  public String cgroupProblem(String host) {
    long pid = new Supervisor(t.workdirPath()).pid(host).orElse(-1);
    if (pid < 0) {
      return host + " is not running";
    }
    boolean member = t.members().stream().anyMatch(m -> m.name().equals(host));
    OptionalLong postmaster = member ? ProcFs.postmasterPid(Path.of(t.member(host).dataDir())) : OptionalLong.empty();
    if (!cgroups.holds(pid, host) || postmaster.isPresent() && !cgroups.holds(postmaster.getAsLong(), host)) {
      return host + " does not run in its cgroup " + cgroups.path(host) + " (started before pgha placed "
          + "members in cgroups, or not as root): restart it (pgha down, then pgha up as root)";
    }
    return null;
  }

  // ---- faults ----

  /** The member cannot reach any etcd member: Patroni's DCS calls time out. Everything else still flows. */
  public void cutFromDcs(String member) throws IOException {
    requireCgroups(List.of(member));
    List<FaultRule> rules = new ArrayList<>();
    for (Topology.EtcdMember e : t.etcd()) {
      rules.addAll(cut(member, etcdClient(e)));
    }
    install(rules);
  }

  /**
   * Two Patroni members cannot reach each other: neither host's connections to the other's PostgreSQL
   * and REST API (replication included) pass, in either direction. Both still reach etcd.
   */
  public void partition(String a, String b) throws IOException {
    requireCgroups(List.of(a, b));
    List<FaultRule> rules = new ArrayList<>();
    rules.addAll(cutFromMember(a, b));
    rules.addAll(cutFromMember(b, a));
    install(rules);
  }

  /**
   * The member reaches nothing and nothing new reaches it: no etcd, no other member (both ways), and no
   * new connection to its PostgreSQL or REST API from anyone (HAProxy's checks, the exporters, new
   * clients). Connections clients had open to it before go on, as over a network that only lost its route.
   */
  public void isolate(String member) throws IOException {
    List<String> others = t.members().stream().map(Topology.Member::name).filter(m -> !m.equals(member)).toList();
    List<String> hosts = new ArrayList<>(others);
    hosts.add(member);
    requireCgroups(hosts);
    List<FaultRule> rules = new ArrayList<>();
    for (Topology.EtcdMember e : t.etcd()) {
      rules.addAll(cut(member, etcdClient(e)));
    }
    for (String other : others) {
      rules.addAll(cutFromMember(member, other));
      rules.addAll(cutFromMember(other, member));
    }
    Topology.Member m = t.member(member);
    rules.add(FaultRule.dropNewConnections(new Endpoint(m.host(), m.pgPort())));
    rules.add(FaultRule.dropNewConnections(new Endpoint(m.host(), m.restPort())));
    install(rules);
  }

  /** One etcd member cannot reach its peers nor they it (raft traffic); clients still reach all three. */
  public void isolateEtcdMember(String name) throws IOException {
    List<String> hosts = t.etcd().stream().map(Topology.EtcdMember::name).toList();
    requireCgroups(hosts);
    Topology.EtcdMember isolated = t.etcdMember(name);
    List<FaultRule> rules = new ArrayList<>();
    for (Topology.EtcdMember peer : t.etcd()) {
      if (!peer.name().equals(name)) {
        rules.addAll(cut(name, etcdPeer(peer)));
        rules.addAll(cut(peer.name(), etcdPeer(isolated)));
      }
    }
    install(rules);
  }

  /**
   * Every Patroni member's requests to etcd take {@code oneWay} longer each way: their connections to
   * the etcd members are redirected through a {@link DelayProxy} per member, and the ones open already
   * are ended ({@code ss -K}) so they are made again through it. Only Patroni's DCS calls slow down;
   * etcd's own raft traffic and the exporters' reads do not.
   */
  public void slowDcs(Duration oneWay) throws IOException {
    List<String> members = t.members().stream().map(Topology.Member::name).toList();
    requireCgroups(members);
    List<FaultRule> rules = new ArrayList<>();
    for (Topology.EtcdMember e : t.etcd()) {
      DelayProxy proxy = DelayProxy.start(etcdClient(e), oneWay);
      proxies.add(proxy);
      for (String m : members) {
        rules.add(FaultRule.redirect(cgroups.path(m), etcdClient(e), proxy.listening()));
      }
    }
    install(rules);
    for (String m : members) {
      for (Topology.EtcdMember e : t.etcd()) {
        Sockets.kill(cgroups.absolutePath(m), etcdClient(e));
      }
    }
  }

  /** Connections relayed through the delay proxies so far (0 without an etcd-slow fault). */
  public long delayedConnections() {
    return proxies.stream().mapToLong(DelayProxy::connections).sum();
  }

  /** Whether any fault is installed. */
  public boolean active() {
    return !installed.isEmpty() || !proxies.isEmpty();
  }

  /** The installed rules, for the drill's log. */
  public List<FaultRule> rules() {
    return List.copyOf(installed);
  }

  /** Removes every rule and the chain, closes the proxies, deletes the record. */
  public synchronized void heal() throws IOException {
    chain.remove();
    proxies.forEach(DelayProxy::close);
    proxies.clear();
    installed.clear();
    record.delete();
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook is running this very heal
      }
      shutdownHook = null;
    }
  }

  // ---- rules ----

  /** Both ways of the host's connections to one listener: what it sends, what the listener answers it. */
  private List<FaultRule> cut(String host, Endpoint listener) {
    List<FaultRule> rules = new ArrayList<>();
    rules.add(FaultRule.dropFrom(cgroups.path(host), listener));
    for (Endpoint client : Sockets.clientEnds(cgroups.absolutePath(host), listener)) {
      rules.add(FaultRule.dropAnswers(listener, client));
    }
    return rules;
  }

  /** The host cannot reach a member's PostgreSQL and REST API (nor get answers on connections it has open). */
  private List<FaultRule> cutFromMember(String host, String member) {
    Topology.Member m = t.member(member);
    List<FaultRule> rules = new ArrayList<>(cut(host, new Endpoint(m.host(), m.pgPort())));
    rules.addAll(cut(host, new Endpoint(m.host(), m.restPort())));
    return rules;
  }

  private static Endpoint etcdClient(Topology.EtcdMember e) {
    return new Endpoint(e.host(), e.clientPort());
  }

  private static Endpoint etcdPeer(Topology.EtcdMember e) {
    return new Endpoint(e.host(), e.peerPort());
  }

  /** Every listener of the cluster: the only endpoints a rule may name. */
  static List<Endpoint> listeners(Topology t) {
    List<Endpoint> all = new ArrayList<>();
    for (Topology.EtcdMember e : t.etcd()) {
      all.add(etcdClient(e));
      all.add(etcdPeer(e));
    }
    for (Topology.Member m : t.members()) {
      all.add(new Endpoint(m.host(), m.pgPort()));
      all.add(new Endpoint(m.host(), m.restPort()));
    }
    return all;
  }

  private void requireCgroups(List<String> hosts) {
    List<String> problems = hosts.stream().map(this::cgroupProblem).filter(p -> p != null).toList();
    if (!problems.isEmpty()) {
      throw new IllegalStateException(String.join("; ", problems));
    }
  }

  /** Records, then installs; on a failure half way, removes what it installed and fails. */
  private synchronized void install(List<FaultRule> rules) throws IOException {
    List<Endpoint> listeners = listeners(t);
    rules.forEach(r -> r.requireWithin(listeners));
    record.write(rules);
    if (shutdownHook == null) {
      shutdownHook = new Thread(() -> {
        try {
          heal();
        } catch (IOException | RuntimeException e) {
          System.err.println("pgha: could not remove the network faults (pgha up or down will): " + e.getMessage());
        }
      }, "pgha-network-heal");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
    try {
      chain.append(rules);
      installed.addAll(rules);
    } catch (RuntimeException e) {
      heal();
      throw e;
    }
  }
}
