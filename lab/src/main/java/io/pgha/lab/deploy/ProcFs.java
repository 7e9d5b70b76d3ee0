package io.pgha.lab.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

/** Process facts from /proc and signals by PID or process group (never by name). */
public final class ProcFs {
  private ProcFs() {}

  /** Alive and not a zombie (an orphan's zombie may linger when nobody reaps it). */
  public static boolean alive(long pid) {
    if (pid <= 0) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int close = stat.lastIndexOf(')');
      char state = stat.charAt(close + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * True when one argument of the process's command line is, or lies under, {@code dir}. Right
   * after a start (setsid or setpriv exec'ing the program) the command line may read empty for a
   * moment, so whoever just started a process should trust its PID rather than this.
   */
  public static boolean mentions(long pid, Path dir) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      String d = dir.toString();
      for (String arg : new String(raw, StandardCharsets.UTF_8).split("\0")) {
        int at = arg.indexOf(d);
        if (at >= 0) {
          int end = at + d.length();
          if (end == arg.length() || arg.charAt(end) == '/') {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** The command line a process shows (PostgreSQL's children rewrite theirs: "postgres: scope: walreceiver ..."). */
  public static String cmdline(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The postmaster of a PostgreSQL data dir while it runs: the first line of its postmaster.pid, if
   * that process is alive (a postmaster killed hard leaves the file behind).
   */
  public static OptionalLong postmasterPid(Path dataDir) {
    try {
      List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.US_ASCII);
      long pid = Long.parseLong(lines.get(0).trim());
      return alive(pid) ? OptionalLong.of(pid) : OptionalLong.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** kill -SIG -PGID: our components are session and group leaders, so PGID == PID. */
  public static void signalGroup(long pid, String signal) {
    run("kill", "-s", signal, "--", "-" + pid);
  }

  public static void signal(long pid, String signal) {
    run("kill", "-s", signal, Long.toString(pid));
  }

  /**
   * SIGTERM to each process group, then SIGKILL to those still alive after {@code grace}, waiting
   * up to 5 s more. Returns the PIDs that had to be killed.
   */
  public static List<Long> terminateGroups(List<Long> pids, Duration grace) throws InterruptedException {
    pids.forEach(pid -> signalGroup(pid, "TERM"));
    List<Long> killed = new ArrayList<>();
    if (!awaitExit(pids, grace)) {
      for (long pid : pids) {
        if (alive(pid)) {
          signalGroup(pid, "KILL");
          killed.add(pid);
        }
      }
      awaitExit(pids, Duration.ofSeconds(5));
    }
    return killed;
  }

  public static boolean awaitExit(Collection<Long> pids, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (pids.stream().noneMatch(ProcFs::alive)) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
  }

  static void run(String... cmd) {
    try {
      new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
