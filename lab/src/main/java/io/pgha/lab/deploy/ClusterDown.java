package io.pgha.lab.deploy;

import io.pgha.lab.client.EtcdApi;
import io.pgha.lab.client.Http;
import io.pgha.lab.net.HostCgroups;
import io.pgha.lab.net.NetFaultRecord;
import io.pgha.lab.topology.ClusterFile;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * {@code pgha down}: stops every process of the cluster by PID, front to back (monitoring and
 * HAProxy, then Patroni, then etcd), and checks that no port is left listening.
 */
public final class ClusterDown {
  private static final Duration SERVICE_GRACE = Duration.ofSeconds(5);
  private static final Duration PATRONI_GRACE = Duration.ofSeconds(20);
  private static final Duration ETCD_GRACE = Duration.ofSeconds(5);

  private final Topology t;
  private final PrintStream out;
  private final long t0 = System.nanoTime();

  public ClusterDown(Topology topology, PrintStream out) {
    this.t = topology;
    this.out = out;
  }

  /** Returns the ports still in use afterwards (empty when all is well). */
  public List<Component.Port> run(boolean wipe) throws IOException, InterruptedException {
    if (!Files.isDirectory(t.workdirPath())) {
      print("no work dir " + t.workdir() + ": nothing to stop");
      return List.of();
    }
    try (WorkdirLock lock = WorkdirLock.acquire(t.workdirPath())) {
      return stopAll(wipe);
    }
  }

  private List<Component.Port> stopAll(boolean wipe) throws IOException, InterruptedException {
    List<String> leftovers = NetFaultRecord.clearLeftovers(t, Users.isRoot());
    if (!leftovers.isEmpty()) {
      print("removed the network faults an earlier drill left: " + String.join(", ", leftovers));
    }
    Supervisor sup = new Supervisor(t.workdirPath());
    Components cs = Components.describe(t);
    List<String> services = new ArrayList<>(names(cs.services()));
    services.addAll(names(cs.otherExporters())); // a switch of --exporter-jvms cut short
    report("services", sup.stop(services, SERVICE_GRACE));
    report("Patroni", sup.stop(names(cs.patroni()), PATRONI_GRACE));
    stopOrphanPostmasters();
    stopEtcd(sup, cs);
    HostCgroups.of(t).ifPresent(HostCgroups::removeEmpty);
    List<Component.Port> ports = new ArrayList<>();
    cs.all().forEach(c -> ports.addAll(c.ports()));
    List<Component.Port> taken = awaitPortsFree(ports, Duration.ofSeconds(3));
    if (wipe) {
      wipe();
      print("wiped " + t.workdir());
    }
    print(taken.isEmpty() ? "stopped; no port left in use" : "ports still in use: " + taken);
    return taken;
  }

  /**
   * Followers first: a raft leader stopped together with its peers tries to hand leadership to a
   * peer that is going away and waits seconds for it; alone, it finds no peer and exits at once.
   */
  private void stopEtcd(Supervisor sup, Components cs) throws InterruptedException {
    List<String> etcd = names(cs.etcd());
    Optional<String> leader = Optional.empty();
    EtcdApi api = new EtcdApi(new Http(Duration.ofMillis(500)));
    for (Topology.EtcdMember e : t.etcd()) {
      if (sup.pid(e.name()).isPresent()) {
        leader = api.leaderName(e);
        break;
      }
    }
    if (leader.isPresent() && etcd.contains(leader.get())) {
      String l = leader.get();
      List<String> followers = etcd.stream().filter(n -> !n.equals(l)).toList();
      report("etcd followers", sup.stop(followers, ETCD_GRACE));
      report("etcd leader", sup.stop(List.of(l), ETCD_GRACE));
    } else {
      report("etcd", sup.stop(etcd, ETCD_GRACE));
    }
  }

  /** A Patroni killed hard leaves its postmaster running (Patroni starts it in its own session). */
  private void stopOrphanPostmasters() throws InterruptedException {
    for (Topology.Member m : t.members()) {
      OptionalLong postmaster = ProcFs.postmasterPid(Path.of(m.dataDir()));
      if (postmaster.isEmpty() || !ProcFs.mentions(postmaster.getAsLong(), t.workdirPath())) {
        continue;
      }
      long pid = postmaster.getAsLong();
      print("stopping the orphan postmaster of " + m.name() + " (pid " + pid + ")");
      // SIGINT is PostgreSQL's fast shutdown; then immediate (SIGQUIT); then SIGKILL.
      for (String sig : new String[] {"INT", "QUIT", "KILL"}) {
        ProcFs.signal(pid, sig);
        if (ProcFs.awaitExit(List.of(pid), Duration.ofSeconds(5))) {
          break;
        }
      }
    }
  }

  private static List<Component.Port> awaitPortsFree(List<Component.Port> ports, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Component.Port> taken = PortCheck.taken(ports);
      if (taken.isEmpty() || System.nanoTime() > deadline) {
        return taken;
      }
      Thread.sleep(100);
    }
  }

  private void wipe() throws IOException {
    Path wd = t.workdirPath();
    if (!Files.isDirectory(wd)) {
      return;
    }
    boolean ours = Files.exists(ClusterFile.path(wd)) || Files.isDirectory(wd.resolve("run"))
        || onlyTheLock(wd);
    if (!ours || wd.getNameCount() < 2) {
      throw new IOException("refusing to wipe " + wd + ": it does not look like a pgha work dir");
    }
    try (Stream<Path> walk = Files.walk(wd)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** What an up that failed before writing anything leaves behind. */
  private static boolean onlyTheLock(Path wd) throws IOException {
    try (Stream<Path> list = Files.list(wd)) {
      return list.allMatch(p -> p.getFileName().toString().equals(WorkdirLock.FILE));
    }
  }

  private void report(String what, List<String> killed) {
    print("stopped " + what + (killed.isEmpty() ? "" : " (killed after the grace period: " + killed + ")"));
  }

  private void print(String line) {
    out.printf("[%5.1fs] %s%n", (System.nanoTime() - t0) / 1e9, line);
    out.flush();
  }

  private static List<String> names(List<Component> cs) {
    return cs.stream().map(Component::name).toList();
  }
}
