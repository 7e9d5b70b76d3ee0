package io.pgha.it;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL instance's processes read straight from /proc by the test, to hold exporter-postgres's
 * CPU and memory figures against: the postmaster (first line of postmaster.pid) and its children.
 */
record InstanceProcesses(long postmaster, List<Long> pids) {

  static InstanceProcesses of(long postmaster) throws IOException {
    List<Long> pids = new ArrayList<>(List.of(postmaster));
    String children = Files.readString(Path.of("/proc", Long.toString(postmaster), "task",
        Long.toString(postmaster), "children")).strip();
    for (String c : children.isEmpty() ? new String[0] : children.split("\\s+")) {
      pids.add(Long.parseLong(c));
    }
    return new InstanceProcesses(postmaster, List.copyOf(pids));
  }

  /** utime + stime + cutime + cstime of every process, in seconds (USER_HZ is 100). */
  double cpuSeconds() throws IOException {
    long ticks = 0;
    for (long pid : pids) {
      String stat = read(pid, "stat");
      if (stat == null) {
        continue;
      }
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }
    return ticks / 100.0;
  }

  /** Sum of a field of smaps_rollup ("Pss", "Rss") over every process, in bytes. */
  double memoryBytes(String field) throws IOException {
    long kb = 0;
    for (long pid : pids) {
      String rollup = read(pid, "smaps_rollup");
      if (rollup == null) {
        continue;
      }
      for (String line : rollup.split("\n")) {
        if (line.startsWith(field + ":")) {
          kb += Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
        }
      }
    }
    return kb * 1024.0;
  }

  private static String read(long pid, String file) throws IOException {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), file));
    } catch (FileSystemException e) {
      // A backend that ended meanwhile: its directory is gone (ENOENT), or it is a zombie whose
      // smaps_rollup the kernel refuses with ESRCH, "No such process".
      if (e instanceof NoSuchFileException || "No such process".equals(e.getReason())) {
        return null;
      }
      throw e;
    }
  }
}
