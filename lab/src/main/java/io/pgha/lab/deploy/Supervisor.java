package io.pgha.lab.deploy;

import io.pgha.lab.net.HostCgroups;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Starts the cluster's processes, each in its own session and process group ({@code setsid}), with
 * a PID file under {@code <workdir>/run} and a log under {@code <workdir>/logs}; stops them by PID
 * (process group) only. A PID counts as ours only while its command line mentions the work dir,
 * so a recycled PID is never signalled. Given {@link HostCgroups}, each etcd member and each Patroni
 * member (its PostgreSQL inherits) starts in its host's cgroup, which the drills' network faults match.
 */
public final class Supervisor {
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final Path workdir;
  private final Path runDir;
  private final Path logDir;
  private final HostCgroups cgroups;

  public Supervisor(Path workdir) {
    this(workdir, null);
  }

  /** {@code cgroups} null: every process starts in the caller's cgroup. */
  public Supervisor(Path workdir, HostCgroups cgroups) {
    this.workdir = workdir;
    this.runDir = workdir.resolve("run");
    this.logDir = workdir.resolve("logs");
    this.cgroups = cgroups;
  }

  public Path pidFile(String name) {
    return runDir.resolve(name + ".pid");
  }

  public Path logFile(String name) {
    return logDir.resolve(name + ".log");
  }

  /** The PID of the named component if it runs (and is ours). */
  public OptionalLong pid(String name) {
    Path f = pidFile(name);
    try {
      if (!Files.isRegularFile(f)) {
        return OptionalLong.empty();
      }
      long pid = Long.parseLong(Files.readString(f, StandardCharsets.US_ASCII).trim());
      return ProcFs.alive(pid) && ProcFs.mentions(pid, workdir) ? OptionalLong.of(pid)
          : OptionalLong.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Starts a component in the background. A clean environment on purpose: an inherited PGPASSWORD
   * would beat the pgpass file Patroni writes and break pg_basebackup for good.
   */
  public long start(Component c) throws IOException {
    return start(c, 0);
  }

  /**
   * Like {@link #start(Component)}, at a lower CPU priority ({@code nice} > 0) so that it does not
   * slow down what is on the critical path of start-up; see {@link #renice}.
   */
  public long start(Component c, int nice) throws IOException {
    Files.createDirectories(runDir);
    Files.createDirectories(logDir);
    List<String> cmd = new ArrayList<>();
    if (cgroups != null && (c.kind() == Component.Kind.ETCD || c.kind() == Component.Kind.PATRONI)) {
      cmd.addAll(cgroups.prefix(c.name()));
    }
    if (nice > 0) {
      cmd.addAll(List.of("nice", "-n", Integer.toString(nice)));
    }
    if (c.asPostgres() && Users.isRoot()) {
      cmd.addAll(List.of("setpriv", "--reuid=" + Users.POSTGRES, "--regid=" + Users.POSTGRES,
          "--init-groups", "--"));
    }
    cmd.addAll(c.command());
    long pid = spawn(cmd, c.home(), logFile(c.name()), Map.of());
    Path tmp = runDir.resolve(c.name() + ".pid.tmp");
    Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, pidFile(c.name()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return pid;
  }

  /**
   * Runs {@code command} in the background in a session and process group of its own ({@code setsid}),
   * in {@code dir}, output appended to {@code log}, with a clean environment (PATH, LANG, HOME =
   * {@code dir}) plus {@code env}. Returns its PID, which is also its process group's. The one way
   * pgha starts a process that outlives the call.
   */
  public static long spawn(List<String> command, Path dir, Path log, Map<String, String> env)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("setsid");
    cmd.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectErrorStream(true);
    Map<String, String> e = pb.environment();
    e.clear();
    e.put("PATH", PATH);
    e.put("LANG", "C.UTF-8");
    e.put("HOME", dir.toString());
    e.putAll(env);
    // setsid execs (the JVM's child is not a group leader), so this PID is the program's own.
    return pb.start().pid();
  }

  /**
   * SIGTERM to each named component's process group, then SIGKILL to what is left after
   * {@code grace}. Returns the names that had to be killed.
   */
  public List<String> stop(Collection<String> names, Duration grace) throws InterruptedException {
    List<Long> pids = new ArrayList<>();
    List<String> running = new ArrayList<>();
    for (String name : names) {
      OptionalLong pid = pid(name);
      if (pid.isPresent()) {
        pids.add(pid.getAsLong());
        running.add(name);
      }
    }
    List<Long> killedPids = ProcFs.terminateGroups(pids, grace);
    List<String> killed = new ArrayList<>();
    for (int i = 0; i < pids.size(); i++) {
      if (killedPids.contains(pids.get(i))) {
        killed.add(running.get(i));
      }
    }
    for (String name : running) {
      if (!ProcFs.alive(pidOf(name))) {
        try {
          Files.deleteIfExists(pidFile(name));
        } catch (IOException ignored) {
          // a stale PID file is harmless: pid() checks the process behind it
        }
      }
    }
    return killed;
  }

  /**
   * Back to normal priority. Per process group: on Linux nice is per thread, and the group form
   * reaches every thread the JVM has started meanwhile.
   */
  public void renice(String name, int nice) {
    pid(name).ifPresent(p -> ProcFs.run("renice", "-n", Integer.toString(nice), "-g", Long.toString(p)));
  }

  /** Sends one signal to a running component's process group; false when it does not run. */
  public boolean signal(String name, String signal) {
    OptionalLong pid = pid(name);
    pid.ifPresent(p -> ProcFs.signalGroup(p, signal));
    return pid.isPresent();
  }

  private long pidOf(String name) {
    try {
      return Long.parseLong(Files.readString(pidFile(name), StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }
}
