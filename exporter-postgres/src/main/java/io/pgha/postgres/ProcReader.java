package io.pgha.postgres;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

  /** The first size of a {@link ReadBuffer}: /proc/<pid>/stat is 250-400 bytes. */
  static final int READ_BUFFER_BYTES = 512;

  /** The line of smaps_rollup that {@link #pssBytes} sums. */
  private static final byte[] PSS = "Pss:".getBytes(StandardCharsets.US_ASCII);

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
   * cstime) the children it has reaped. Cheap: one small read per process, parsed where it was read.
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

  /** Reads a number out of a /proc file's bytes, {@code length} of them valid. */
  @FunctionalInterface
  interface Parser {
    double parse(byte[] bytes, int length);
  }

  /**
   * The sum over the processes of what {@code parse} reads from their {@code file}, each read into
   * one buffer (a scrape reads a few dozen of these files per instance, so no text or token is
   * made of them). A backend that ended while we looked is skipped: its CPU time moves to the
   * postmaster's cutime, and its memory is gone.
   */
  private double sum(Processes processes, String file, Parser parse) throws IOException {
    ReadBuffer buffer = new ReadBuffer();
    double total = 0;
    for (long p : processes.pids()) {
      try {
        int length = buffer.read(proc.resolve(p + "/" + file));
        total += parse.parse(buffer.bytes, length);
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
    ReadBuffer buffer = new ReadBuffer();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, "[0-9]*")) {
      for (Path dir : dirs) {
        try {
          if (parentPid(buffer.bytes, buffer.read(dir.resolve("stat"))) == parent) {
            pids.add(Long.parseLong(dir.getFileName().toString()));
          }
        } catch (NoSuchFileException | NumberFormatException ignored) {
          // Gone already, or not a process directory.
        }
      }
    }
    return pids;
  }

  /** ppid, the parent's pid. */
  static long parentPid(byte[] stat, int length) {
    return statSum(stat, length, 1, 1);
  }

  /** utime + stime + cutime + cstime: the process and its exited, waited-for children. */
  static double cpuTicks(byte[] stat, int length) {
    return statSum(stat, length, 11, 14);
  }

  /**
   * The sum of the numeric fields {@code first} to {@code last} of a /proc/&lt;pid&gt;/stat, counted
   * after the command name, which may itself contain spaces and parentheses: state(0) ppid(1) ...
   * utime(11) stime(12) cutime(13) cstime(14).
   */
  private static long statSum(byte[] stat, int length, int first, int last) {
    int i = length - 1;
    while (i >= 0 && stat[i] != ')') {
      i--;
    }
    if (i < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat: no ')' after the command name");
    }
    i++;
    long sum = 0;
    for (int field = 0; field <= last; field++) {
      while (i < length && stat[i] == ' ') {
        i++;
      }
      int start = i;
      while (i < length && stat[i] != ' ' && stat[i] != '\n') {
        i++;
      }
      if (start == i) {
        throw new IllegalArgumentException("not a /proc/<pid>/stat: " + field + " fields after the command name");
      }
      if (field >= first) {
        sum += parseLong(stat, start, i);
      }
    }
    return sum;
  }

  /** The Pss line of smaps_rollup, in kB. */
  static double pssKb(byte[] smapsRollup, int length) {
    for (int line = 0; line < length; ) {
      if (startsWith(smapsRollup, line, length, PSS)) {
        int i = line + PSS.length;
        while (i < length && smapsRollup[i] == ' ') {
          i++;
        }
        int start = i;
        while (i < length && smapsRollup[i] >= '0' && smapsRollup[i] <= '9') {
          i++;
        }
        return parseLong(smapsRollup, start, i);
      }
      while (line < length && smapsRollup[line] != '\n') {
        line++;
      }
      line++;
    }
    return 0; // a zombie (exited, not yet reaped) has no memory left
  }

  private static boolean startsWith(byte[] bytes, int from, int length, byte[] prefix) {
    if (from + prefix.length > length) {
      return false;
    }
    for (int k = 0; k < prefix.length; k++) {
      if (bytes[from + k] != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  /** A decimal integer, optionally negative, in {@code bytes[start, end)}. */
  private static long parseLong(byte[] bytes, int start, int end) {
    boolean negative = start < end && bytes[start] == '-';
    int i = negative ? start + 1 : start;
    if (i == end) {
      throw new NumberFormatException("no number at byte " + start);
    }
    long value = 0;
    for (; i < end; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9) {
        throw new NumberFormatException("not a number at byte " + i);
      }
      value = Math.multiplyExact(value, 10) + digit;
    }
    return negative ? -value : value;
  }

  /** One growable buffer that the files of one pass are read into, one after another. */
  static final class ReadBuffer {
    byte[] bytes = new byte[READ_BUFFER_BYTES];

    /** Reads {@code file} whole into {@link #bytes}; returns its length. */
    int read(Path file) throws IOException {
      int length = 0;
      try (SeekableByteChannel in = Files.newByteChannel(file)) {
        ByteBuffer into = ByteBuffer.wrap(bytes);
        for (int n; (n = in.read(into)) > 0; ) {
          length += n;
          if (!into.hasRemaining()) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
            into = ByteBuffer.wrap(bytes, length, bytes.length - length);
          }
        }
      }
      return length;
    }
  }

  /**
   * The whole file. /proc reports a size of 0, so {@code Files.readAllBytes} would start with an
   * 8 KiB buffer and copy it; the files read here are a few hundred bytes.
   */
  static String readText(Path file) throws IOException {
    ReadBuffer buffer = new ReadBuffer();
    int length = buffer.read(file);
    return new String(buffer.bytes, 0, length, StandardCharsets.US_ASCII);
  }
}
