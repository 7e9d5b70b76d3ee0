package io.pgha.bench;

import io.pgha.lab.deploy.ClusterSettings;
import io.pgha.lab.deploy.ClusterUp;
import io.pgha.lab.deploy.ProcFs;
import io.pgha.lab.deploy.Switchover;
import io.pgha.lab.client.Http;
import io.pgha.lab.status.ClusterState;
import io.pgha.lab.status.ClusterStateReader;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Makes the leader change, and puts the cluster back together afterwards. */
final class LeaderFaults {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream(), true,
      StandardCharsets.UTF_8);

  private final BenchContext c;

  LeaderFaults(BenchContext context) {
    this.c = context;
  }

  /** A planned switchover to whichever replica Patroni picks; returns when HAProxy routes to it. */
  void switchover() throws InterruptedException {
    Switchover.Result r = new Switchover(c.t, c.secrets, QUIET).run(null, 60);
    if (!r.ok()) {
      throw new IllegalStateException("switchover failed: " + r.message());
    }
  }

  /** SIGKILL to the member's Patroni (its process group) and to its postmaster. */
  void kill(Topology.Member member) throws InterruptedException {
    long patroni = c.pid(member.name());
    long postmaster = postmasterPid(member);
    ProcFs.signalGroup(patroni, "KILL");
    if (postmaster > 0) {
      ProcFs.signal(postmaster, "KILL");
    }
    ProcFs.awaitExit(postmaster > 0 ? List.of(patroni, postmaster) : List.of(patroni),
        Duration.ofSeconds(10));
  }

  /** {@code pgha up}: restarts what is not running and waits until the cluster is ready. */
  void heal() throws Exception {
    new ClusterUp(c.t, ClusterSettings.DEFAULTS, c.repoHome, c.javaBin, c.cliJar, QUIET).run(180);
  }

  /** Waits until {@code pgha status} would call the cluster healthy. */
  void awaitHealthy(Duration timeout) throws InterruptedException {
    ClusterStateReader reader = new ClusterStateReader(new Http());
    long deadline = System.nanoTime() + timeout.toNanos();
    ClusterState s = reader.read(c.t);
    while (!s.healthy()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the cluster is not healthy after " + timeout.toSeconds()
            + " s: " + s.problems());
      }
      Thread.sleep(200);
      s = reader.read(c.t);
    }
  }

  private static long postmasterPid(Topology.Member m) {
    try {
      long pid = Long.parseLong(Files.readAllLines(Path.of(m.dataDir(), "postmaster.pid")).get(0).trim());
      return ProcFs.alive(pid) ? pid : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
