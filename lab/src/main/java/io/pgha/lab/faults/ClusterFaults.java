package io.pgha.lab.faults;

import io.pgha.lab.client.Http;
import io.pgha.lab.client.PatroniApi;
import io.pgha.lab.deploy.ClusterSettings;
import io.pgha.lab.deploy.ClusterUp;
import io.pgha.lab.deploy.Components;
import io.pgha.lab.deploy.Installation;
import io.pgha.lab.deploy.ProcFs;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.deploy.Supervisor;
import io.pgha.lab.status.ClusterState;
import io.pgha.lab.status.ClusterStateReader;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The faults the drills, the bench and the integration tests cause, by PID only (the process groups
 * of the PID files, never by name), network faults between its hosts ({@link #network}), and the way
 * back: {@link #heal} removes the network faults and runs {@code pgha up} in-process, which starts
 * whatever is missing and returns when the whole cluster is ready again. Faults that {@code up}
 * cannot undo (a frozen process, a member's changed configuration) return an {@link Undo}.
 */
public final class ClusterFaults {
  private static final Duration PATRONI_STOP = Duration.ofSeconds(60);
  private static final Duration ETCD_STOP = Duration.ofSeconds(30);
  private static final Duration SERVICE_STOP = Duration.ofSeconds(10);
  private static final Duration KILL = Duration.ofSeconds(10);

  /** Library a member is given in {@link #failStart} that no PostgreSQL has, so it refuses to start. */
  static final String MISSING_LIBRARY = "pgha_missing_library";
  private static final String PRELOAD = "shared_preload_libraries: pg_stat_statements";

  private final Topology t;
  private final Installation installation;
  private final Supervisor supervisor;
  private NetworkFaults network;

  /** Takes a fault back; safe to call twice. */
  public interface Undo extends AutoCloseable {
    @Override
    void close();
  }

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

  /**
   * SIGSTOP to a replica's WAL receiver: it receives nothing more while its PostgreSQL, its Patroni
   * and HAProxy's checks stay content, so it falls behind as the leader writes (pausing replay would
   * not do: Patroni counts WAL received, and resumes a paused replay in its next loop). The undo
   * sends SIGCONT, also from a shutdown hook should the JVM end first; the receiver then finds its
   * connection gone (the leader's wal_sender_timeout) and PostgreSQL starts a new one.
   */
  public Undo freezeWalReceiver(String member) {
    long postmaster = postmasterPid(member).orElseThrow(
        () -> new IllegalStateException(member + "'s PostgreSQL is not running"));
    long receiver = ProcessHandle.of(postmaster).stream().flatMap(ProcessHandle::children)
        .map(ProcessHandle::pid).filter(pid -> ProcFs.cmdline(pid).contains("walreceiver")).findFirst()
        .orElseThrow(() -> new IllegalStateException(member + " has no WAL receiver (is it a streaming replica?)"));
    Thread thaw = new Thread(() -> ProcFs.signal(receiver, "CONT"), "pgha-thaw-" + member);
    Runtime.getRuntime().addShutdownHook(thaw);
    ProcFs.signal(receiver, "STOP");
    return once(() -> {
      ProcFs.signal(receiver, "CONT");
      try {
        Runtime.getRuntime().removeShutdownHook(thaw);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    });
  }

  /**
   * Gives one member a parameter its PostgreSQL refuses to start with (a shared_preload_libraries
   * entry no PostgreSQL has) in its own Patroni configuration, then reloads and restarts it: it
   * stays in start failed and starting, Patroni retrying every loop. The undo writes the
   * configuration back and reloads; Patroni starts PostgreSQL in its next loop. {@code up} would
   * rewrite the file too, but not reload a running Patroni.
   */
  public Undo failStart(String member) throws IOException {
    Topology.Member m = t.member(member);
    Path file = t.workdirPath().resolve(member).resolve("patroni.yml");
    String original = Files.readString(file);
    if (!original.contains(PRELOAD)) {
      throw new IllegalStateException(file + " has no line \"" + PRELOAD + "\" to break");
    }
    PatroniApi patroni = new PatroniApi(new Http());
    String auth = Secrets.PATRONI_REST + ":" + new Secrets(t.workdirPath()).password(Secrets.PATRONI_REST);
    Undo undo = once(() -> {
      try {
        Files.writeString(file, original);
        patroni.reload(m, auth);
      } catch (IOException e) {
        throw new UncheckedIOException("could not restore " + file, e);
      }
    });
    Files.writeString(file, original.replace(PRELOAD, PRELOAD + "," + MISSING_LIBRARY));
    try {
      patroni.reload(m, auth);
      // POST /reload only wakes Patroni's loop: a restart before the loop read the file restarts
      // with the old parameters. PostgreSQL flags the new one pending_restart once it has it.
      awaitPendingRestart(patroni, member, Duration.ofSeconds(60));
      Http.Response restart = patroni.restart(m, auth);
      if (restart.ok()) {
        throw new IllegalStateException(member + " restarted although " + MISSING_LIBRARY + " does not exist");
      }
    } catch (RuntimeException e) {
      undo.close();
      throw e;
    }
    return undo;
  }

  private void awaitPendingRestart(PatroniApi patroni, String member, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      boolean pending = patroni.members(t).orElse(List.of()).stream()
          .anyMatch(x -> x.name().equals(member) && x.pendingRestart());
      if (pending) {
        return;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + member + "'s pending restart", e);
      }
    }
    throw new IllegalStateException(member + " did not take its changed configuration within " + bound
        + " (no pending_restart after POST /reload)");
  }

  private static Undo once(Runnable action) {
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        action.run();
      }
    };
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
