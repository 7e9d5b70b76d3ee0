package io.pgha.bench;

import io.pgha.lab.deploy.ProcFs;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A process the bench starts for itself (a peer exporter, an exporter instance of its own, a
 * simulated standby): in its own session and process group, with a clean environment plus what
 * it is given, output to a log file. Stopped by its PID's process group, never by name; a JVM
 * shutdown hook stops whatever is still running if the bench is cut short.
 */
final class HelperProcess implements AutoCloseable {
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final Set<HelperProcess> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(RUNNING).forEach(HelperProcess::close),
        "pgha-bench-helpers"));
  }

  private final String name;
  private final long pid;
  private final Path log;

  private HelperProcess(String name, long pid, Path log) {
    this.name = name;
    this.pid = pid;
    this.log = log;
  }

  /** Starts {@code command}; the environment holds only PATH, LANG, HOME and {@code env}. */
  static HelperProcess start(String name, List<String> command, Map<String, String> env, Path log)
      throws IOException {
    Files.createDirectories(log.getParent());
    List<String> cmd = new ArrayList<>();
    cmd.add("setsid");
    cmd.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(log.getParent().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectErrorStream(true);
    Map<String, String> e = pb.environment();
    e.clear();
    e.put("PATH", PATH);
    e.put("LANG", "C.UTF-8");
    e.put("HOME", log.getParent().toString());
    e.putAll(env);
    // setsid execs (the JVM's child is no group leader), so this PID is the program's and its group's.
    HelperProcess p = new HelperProcess(name, pb.start().pid(), log);
    RUNNING.add(p);
    return p;
  }

  String name() {
    return name;
  }

  long pid() {
    return pid;
  }

  Path log() {
    return log;
  }

  boolean alive() {
    return ProcFs.alive(pid);
  }

  /** Waits until something accepts connections on host:port; fails when the process exited. */
  void awaitListening(String host, int port, Duration timeout) throws IOException, InterruptedException {
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
    ProcFs.signalGroup(pid, "TERM");
    try {
      if (!ProcFs.awaitExit(List.of(pid), Duration.ofSeconds(5))) {
        ProcFs.signalGroup(pid, "KILL");
        ProcFs.awaitExit(List.of(pid), Duration.ofSeconds(5));
      }
    } catch (InterruptedException e) {
      ProcFs.signalGroup(pid, "KILL");
      Thread.currentThread().interrupt();
    }
  }
}
