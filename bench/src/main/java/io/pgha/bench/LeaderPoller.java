package io.pgha.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls an endpoint at a steady interval, as Prometheus scrapes, and records which member each
 * answer shows as the leader. Its phase has nothing to do with the faults, so the delay it
 * measures is what a scraper at that interval would see: up to one interval of waiting for the
 * next scrape, plus however late the endpoint itself is.
 */
final class LeaderPoller implements AutoCloseable {
  /** Reads the endpoint once: the members it shows as the leader. */
  @FunctionalInterface
  interface Source {
    Set<String> leaders();
  }

  record Observation(long atNanos, Set<String> leaders) {}

  private final String name;
  private final ScheduledExecutorService timer;
  private final List<Observation> seen = new ArrayList<>();

  LeaderPoller(String name, Duration interval, Source source) {
    this.name = name;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pgha-bench-poller-" + name);
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(() -> {
      Set<String> leaders;
      try {
        leaders = source.leaders();
      } catch (RuntimeException e) {
        leaders = Set.of();
      }
      long at = System.nanoTime();
      synchronized (seen) {
        seen.add(new Observation(at, leaders));
      }
    }, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  String name() {
    return name;
  }

  /** When an answer received after {@code sinceNanos} first showed {@code leader}. */
  Optional<Long> firstShowing(String leader, long sinceNanos) {
    synchronized (seen) {
      return seen.stream().filter(o -> o.atNanos() >= sinceNanos && o.leaders().contains(leader))
          .map(Observation::atNanos).findFirst();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
