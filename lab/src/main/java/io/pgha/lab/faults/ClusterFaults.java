package io.pgha.lab.faults;

import io.pgha.lab.client.Http;
import io.pgha.lab.deploy.ClusterSettings;
import io.pgha.lab.deploy.ClusterUp;
import io.pgha.lab.deploy.Components;
import io.pgha.lab.deploy.Installation;
import io.pgha.lab.deploy.ProcFs;
import io.pgha.lab.deploy.Supervisor;
import io.pgha.lab.status.ClusterState;
import io.pgha.lab.status.ClusterStateReader;
import io.pgha.lab.topology.Topology;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The faults the drills, the bench and the integration tests cause, by PID only (the process groups
 * of the PID files, never by name), network faults between its hosts ({@link #network}), and the way
 * back: {@link #heal} removes the network faults and runs {@code pgha up} in-process, which starts
 * whatever is missing and returns when the whole cluster is ready again.
 */
public final class ClusterFaults {
  private static final Duration PATRONI_STOP = Duration.ofSeconds(60);
  private static final Duration ETCD_STOP = Duration.ofSeconds(30);
  private static final Duration SERVICE_STOP = Duration.ofSeconds(10);
  private static final Duration KILL = Duration.ofSeconds(10);

  private final Topology t;
  private final Installation installation;
  private final Supervisor supervisor;
  private NetworkFaults network;

  /** {@code installation} is what {@link #heal} starts the cluster's JVMs from. */
  public ClusterFaults(Topology topology, Installation installation) {
    this.t = topology;
    this.installation = installation;
    this.supervisor = new Supervisor(topology.workdirPath());
  }

  /** SIGTERM to a member's Patroni: it stops its PostgreSQL and exits. Returns when it has. */
  public void stopMember(String member) throws InterruptedException {
    stop(List.of(member), "TERM", PATRONI_STOP);
  }

  /**
   * A member's host "crashes": SIGKILL to Patroni and everything under it, to the postmaster and to
   * each of its children (PostgreSQL makes every child a process group of its own, so no group signal
   * reaches them all). The PIDs are collected first and signalled from this JVM in one go, so the
   * processes die within microseconds of each other rather than one fork of kill(1) apart.
   */
  public void killMember(String member) throws InterruptedException {
    long patroniPid = running(member);
    List<ProcessHandle> victims = new ArrayList<>();
    ProcessHandle.of(patroniPid).ifPresent(p -> {
      victims.add(p);
      p.descendants().forEach(victims::add);
    });
    postmasterPid(member).ifPresent(pid -> ProcessHandle.of(pid).ifPresent(p -> {
      victims.add(p);
      p.children().forEach(victims::add);
    }));
    victims.forEach(ProcessHandle::destroyForcibly);
    // Anything Patroni forked into its group meanwhile.
    ProcFs.signalGroup(patroniPid, "KILL");
    List<Long> pids = victims.stream().map(ProcessHandle::pid).distinct().toList();
    if (!ProcFs.awaitExit(pids, KILL)) {
      throw new IllegalStateException("processes of " + member + " still run " + KILL.toSeconds()
          + " s after SIGKILL");
    }
  }

  /** SIGTERM to every named etcd member at once; returns when all have exited. */
  public void stopEtcd(List<String> names) throws InterruptedException {
    stop(names, "TERM", ETCD_STOP);
  }

  /** SIGKILL to one etcd member's process group; returns when it is gone. */
  public void killEtcd(String name) throws InterruptedException {
    stop(List.of(name), "KILL", KILL);
  }

  public void stopHaproxy() throws InterruptedException {
    stop(List.of(Components.HAPROXY), "TERM", SERVICE_STOP);
  }

  /** SIGTERM to the exporters' JVM (all three exporters); returns when it has exited. */
  public void stopExporters() throws InterruptedException {
    stop(List.of(Components.EXPORTERS_IN_ONE_JVM), "TERM", SERVICE_STOP);
  }

  /** PID of a member's postmaster while it runs, from postmaster.pid in its data dir. */
  public OptionalLong postmasterPid(String member) {
    return ProcFs.postmasterPid(Path.of(t.member(member).dataDir()));
  }

  /**
   * Network faults between the cluster's hosts (partitions, isolation, a slow DCS); needs root and the
   * members started in their cgroups. The same instance every call, so {@link #heal} removes them.
   */
  public synchronized NetworkFaults network() {
    if (network == null) {
      network = NetworkFaults.of(t);
    }
    return network;
  }

  /**
   * Removes the network faults, then {@code pgha up}: starts what is missing and returns when the whole
   * cluster is ready again.
   */
  public void heal(PrintStream out, long timeoutSeconds) throws Exception {
    healNetwork();
    new ClusterUp(t, ClusterSettings.DEFAULTS, installation, out).run(timeoutSeconds);
  }

  /** Removes the network faults this instance installed (the rest of the cluster is left as it is). */
  public synchronized void healNetwork() throws java.io.IOException {
    if (network != null && network.active()) {
      network.heal();
    }
  }

  /** Waits until {@code pgha status} would call the cluster healthy; fails with its problems. */
  public void awaitHealthy(Duration timeout) throws InterruptedException {
    ClusterStateReader reader = new ClusterStateReader(new Http());
    long deadline = System.nanoTime() + timeout.toNanos();
    ClusterState s = reader.read(t);
    while (!s.healthy()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the cluster is not healthy after " + timeout.toSeconds()
            + " s: " + s.problems());
      }
      Thread.sleep(200);
      s = reader.read(t);
    }
  }

  private long running(String component) {
    return supervisor.pid(component).orElseThrow(() -> new IllegalStateException(component + " is not running"));
  }

  private void stop(List<String> names, String signal, Duration timeout) throws InterruptedException {
    List<Long> pids = new ArrayList<>();
    for (String name : names) {
      pids.add(running(name));
    }
    pids.forEach(pid -> ProcFs.signalGroup(pid, signal));
    if (!ProcFs.awaitExit(pids, timeout)) {
      throw new IllegalStateException(String.join(", ", names) + " still running " + timeout.toSeconds()
          + " s after SIG" + signal);
    }
  }
}
