package io.pgha.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Linux's connection tracking table, present while netfilter's conntrack is loaded (podman's network
 * rules load it, as iptables rules that match on state do). Every TCP connection holds an entry in it,
 * loopback ones too, until 120 s after it closed (TIME_WAIT). A full table drops the first packet of
 * every new connection (the kernel logs "nf_conntrack: table full, dropping packet"): the connect waits
 * for its SYN's retransmission, 1 s, then 3 s. A simulated site of 100 scopes costs 500 connections a
 * scrape (Patroni closes each), over 100,000 a series, so the bench waits for room before each series
 * rather than measure the retransmissions.
 */
record Conntrack(Path dir, Duration poll) {
  static final Path PROC = Path.of("/proc/sys/net/netfilter");
  /** Share of the table a series may fill: the rest is left to the cluster and to whatever else runs. */
  static final double FILL = 0.9;

  /** The table as it is at one moment. */
  record Table(long entries, long max) {
    /** How many more connections fit below {@link #FILL} of it. */
    long room() {
      return Math.max(0, (long) (max * FILL) - entries);
    }
  }

  /** What waiting for room came to: how long, the table at the end, and whether the series fits. */
  record Wait(Duration waited, Table table, boolean fits) {}

  static Conntrack system() {
    return new Conntrack(PROC, Duration.ofSeconds(1));
  }

  /** The table now; empty when conntrack is not loaded (nothing tracked, nothing to wait for). */
  Optional<Table> table() throws IOException {
    try {
      return Optional.of(new Table(read("nf_conntrack_count"), read("nf_conntrack_max")));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Waits until {@code connections} more fit in the table, at most {@code limit}; empty when there is
   * no table. Entries only leave it as they expire, so the wait is bounded by their 120 s.
   */
  Optional<Wait> awaitRoom(long connections, Duration limit) throws IOException, InterruptedException {
    long start = System.nanoTime();
    long end = start + limit.toNanos();
    while (true) {
      Optional<Table> now = table();
      if (now.isEmpty()) {
        return Optional.empty();
      }
      boolean fits = now.get().room() >= connections;
      if (fits || System.nanoTime() - end >= 0) {
        return Optional.of(new Wait(Duration.ofNanos(System.nanoTime() - start), now.get(), fits));
      }
      Thread.sleep(poll.toMillis());
    }
  }

  /**
   * Read in one go from the start: these files report a size of 0, and after a first short read
   * they answer end of file, so {@code Files.readString} (which reads one byte first when the size
   * is 0) returned "2" for 262144.
   */
  private long read(String file) throws IOException {
    String text;
    try (InputStream in = Files.newInputStream(dir.resolve(file))) {
      text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IOException(dir.resolve(file) + ": not a number: " + text, e);
    }
  }
}
