package io.pgha.lab.deploy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A process started for a while beside the cluster (the bench's peer exporters, exporter instances
 * and simulated standbys; the tests' peer exporter): started by {@link Supervisor#spawn} like the
 * cluster's own, output to a log file, stopped by its PID's process group, never by name. A JVM
 * shutdown hook stops whatever is still running if the run is cut short.
 */
public final class HelperProcess implements AutoCloseable {
  private static final Set<HelperProcess> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(RUNNING).forEach(HelperProcess::close),
        "pgha-helpers"));
  }

  private final String name;
  private final long pid;
  private final Path log;

  private HelperProcess(String name, long pid, Path log) {
    this.name = name;
    this.pid = pid;
    this.log = log;
  }

  /**
   * Starts {@code command} in the log's directory; the environment holds only PATH, LANG, HOME and
   * {@code env}.
   */
  public static HelperProcess start(String name, List<String> command, Map<String, String> env, Path log)
      throws IOException {
    Files.createDirectories(log.getParent());
    HelperProcess p = new HelperProcess(name, Supervisor.spawn(command, log.getParent(), log, env), log);
    RUNNING.add(p);
    return p;
  }

  public String name() {
    return name;
  }

  public long pid() {
    return pid;
  }

  public Path log() {
    return log;
  }

  public boolean alive() {
    return ProcFs.alive(pid);
  }

  /** Waits until something accepts connections on host:port; fails when the process exited. */
  public void awaitListening(String host, int port, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), 200);
        return;
      } catch (IOException e) {
        if (!alive()) {
          throw new IOException(name + " exited at start; see " + log);
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(name + " does not listen on " + host + ":" + port + " after "
              + timeout.toSeconds() + " s; see " + log);
        }
        Thread.sleep(50);
      }
    }
  }

  /** SIGTERM to the process group, SIGKILL after 5 s. */
  @Override
  public void close() {
    RUNNING.remove(this);
    if (!ProcFs.alive(pid)) {
      return;
    }
    try {
      ProcFs.terminateGroups(List.of(pid), Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      ProcFs.signalGroup(pid, "KILL");
      Thread.currentThread().interrupt();
    }
  }
}
