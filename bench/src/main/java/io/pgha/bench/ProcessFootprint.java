package io.pgha.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Memory and CPU time of one process, from /proc. RSS counts every page the process has in memory,
 * shared ones (the JVM's libjvm.so and class data archive, Python's libraries) included; PSS
 * divides each shared page among the processes sharing it, so PSS of several processes adds up.
 */
public record ProcessFootprint(long rssKb, long pssKb) {

  public static Optional<ProcessFootprint> of(long pid) {
    try {
      return Optional.of(parseSmapsRollup(Files.readString(Path.of("/proc", Long.toString(pid),
          "smaps_rollup"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static ProcessFootprint parseSmapsRollup(String text) {
    long rss = -1;
    long pss = -1;
    for (String line : text.split("\n")) {
      if (line.startsWith("Rss:")) {
        rss = kilobytes(line);
      } else if (line.startsWith("Pss:")) {
        pss = kilobytes(line);
      }
    }
    if (rss < 0 || pss < 0) {
      throw new IllegalArgumentException("no Rss/Pss lines in smaps_rollup");
    }
    return new ProcessFootprint(rss, pss);
  }

  private static long kilobytes(String line) {
    String[] f = line.trim().split("\\s+");
    return Long.parseLong(f[1]);
  }

  /** User plus system CPU time the process has used so far (all its threads). */
  public static Optional<Duration> cpu(long pid) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration());
  }

  public double rssMb() {
    return rssKb / 1024.0;
  }

  public double pssMb() {
    return pssKb / 1024.0;
  }

  public ProcessFootprint plus(ProcessFootprint other) {
    return new ProcessFootprint(rssKb + other.rssKb, pssKb + other.pssKb);
  }
}
