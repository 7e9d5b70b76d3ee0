package io.pgha.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Reads a PostgreSQL instance's processes from Linux's /proc. The postmaster is found through the
 * first line of {@code postmaster.pid}; its children through {@code task/<pid>/children}, which
 * lists them directly instead of scanning every process on the host (a scan is the fallback on
 * kernels without that file).
 */
final class ProcReader {
  /** USER_HZ, the unit of the times in /proc/<pid>/stat: 100 on every Linux architecture in use. */
  static final double TICKS_PER_SECOND = 100;

  /** The postmaster and its children at one moment; {@code postmasterPid} 0 if not running. */
  record Processes(long postmasterPid, List<Long> pids) {
    static final Processes NONE = new Processes(0, List.of());

    boolean running() {
      return postmasterPid > 0;
    }
  }

  /** The first buffer of {@link #readText}: /proc/<pid>/stat is 250-400 bytes. */
  static final int READ_BUFFER_BYTES = 512;

  private final Path proc;

  ProcReader(Path proc) {
    this.proc = proc;
  }

  Processes processes(Path dataDirectory) throws IOException {
    long pid = postmasterPid(dataDirectory);
    if (pid <= 0 || !isPostgres(pid)) {
      return Processes.NONE;
    }
    List<Long> pids = new ArrayList<>();
    pids.add(pid);
    pids.addAll(children(pid));
    return new Processes(pid, List.copyOf(pids));
  }

  /**
   * CPU seconds of the postmaster, its live children and (through the postmaster's cutime and
   * cstime) the children it has reaped. Cheap: one small read per process.
   */
  double cpuSeconds(Processes processes) throws IOException {
    return sum(processes, "stat", ProcReader::cpuTicks) / TICKS_PER_SECOND;
  }

  /**
   * Sum of the proportional set size: each shared page (shared buffers, copy-on-write pages
   * inherited from the postmaster) divided among the processes that map it. Summing RSS instead
   * counts shared buffers once per backend (8 times too much here with 30 backends). Costly: the
   * kernel walks every page table, a few hundred microseconds per process.
   */
  double pssBytes(Processes processes) throws IOException {
    return sum(processes, "smaps_rollup", ProcReader::pssKb) * 1024;
  }

  /**
   * The sum over the processes of what {@code parse} reads from their {@code file}. A backend that
   * ended while we looked is skipped: its CPU time moves to the postmaster's cutime, and its
   * memory is gone.
   */
  private double sum(Processes processes, String file, ToDoubleFunction<String> parse) throws IOException {
    double total = 0;
    for (long p : processes.pids()) {
      try {
        total += parse.applyAsDouble(readText(proc.resolve(p + "/" + file)));
      } catch (FileSystemException e) {
        if (!ended(e)) {
          throw e;
        }
      }
    }
    return total;
  }

  /**
   * The process ended while we looked: its directory is gone, or (while it exits)
   * the kernel answers ESRCH for files such as smaps_rollup.
   */
  static boolean ended(FileSystemException e) {
    return e instanceof NoSuchFileException || "No such process".equals(e.getReason());
  }

  /** First line of postmaster.pid; 0 when the file is absent (instance stopped). */
  static long postmasterPid(Path dataDirectory) throws IOException {
    String text;
    try {
      text = Files.readString(dataDirectory.resolve("postmaster.pid"), StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return 0;
    }
    String first = text.lines().findFirst().orElse("").strip();
    try {
      return Long.parseLong(first);
    } catch (NumberFormatException e) {
      // PostgreSQL writes the file in several steps; a half-written one means it is starting.
      return 0;
    }
  }

  /** A stale postmaster.pid can point at a reused pid: only a postgres process counts. */
  private boolean isPostgres(long pid) throws IOException {
    try {
      String comm = readText(proc.resolve(pid + "/comm")).strip();
      return comm.equals("postgres") || comm.equals("postmaster");
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private List<Long> children(long pid) throws IOException {
    Path children = proc.resolve(pid + "/task/" + pid + "/children");
    if (!Files.exists(children)) {
      return scanForChildren(pid);
    }
    List<Long> pids = new ArrayList<>();
    for (String token : readText(children).trim().split("\\s+")) {
      if (!token.isEmpty()) {
        pids.add(Long.parseLong(token));
      }
    }
    return pids;
  }

  private List<Long> scanForChildren(long parent) throws IOException {
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, "[0-9]*")) {
      for (Path dir : dirs) {
        try {
          if (parentPid(readText(dir.resolve("stat"))) == parent) {
            pids.add(Long.parseLong(dir.getFileName().toString()));
          }
        } catch (NoSuchFileException | NumberFormatException ignored) {
          // Gone already, or not a process directory.
        }
      }
    }
    return pids;
  }

  /** The fields after the command name, which may itself contain spaces and parentheses. */
  static String[] statFields(String stat) {
    return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
  }

  static long parentPid(String stat) {
    return Long.parseLong(statFields(stat)[1]);
  }

  /** utime + stime + cutime + cstime: the process and its exited, waited-for children. */
  static double cpuTicks(String stat) {
    String[] f = statFields(stat);
    // After the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
    return Double.parseDouble(f[11]) + Double.parseDouble(f[12]) + Double.parseDouble(f[13]) + Double.parseDouble(f[14]);
  }

  static double pssKb(String smapsRollup) {
    for (String line : smapsRollup.split("\n")) {
      if (line.startsWith("Pss:")) {
        return Double.parseDouble(line.substring(4).replace("kB", "").trim());
      }
    }
    return 0; // a zombie (exited, not yet reaped) has no memory left
  }

  /**
   * The whole file. /proc reports a size of 0, so {@code Files.readAllBytes} would start with an
   * 8 KiB buffer and copy it; the files read here are a few hundred bytes.
   */
  static String readText(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[READ_BUFFER_BYTES];
      int length = 0;
      for (int n; (n = in.read(buffer, length, buffer.length - length)) > 0; ) {
        length += n;
        if (length == buffer.length) {
          buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
      }
      return new String(buffer, 0, length, StandardCharsets.US_ASCII);
    }
  }
}
