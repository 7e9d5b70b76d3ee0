package io.pgha.bench;

import java.time.Duration;
import java.util.List;

/**
 * How much the bench does. The full plan gives the figures of docs/benchmarks.md; the quick one
 * only checks that every measurement still runs (its figures are too few to mean much).
 */
public record BenchPlan(
    boolean quick,
    /** Scrapes per target and per concurrency. */
    int scrapes,
    /** Unmeasured scrapes first: the JVM exporters start interpreted. */
    int warmUp,
    /** The single-scraper series runs in this many blocks, the targets taking turns, so that a
     * change of the machine's load hits every target alike. */
    int rounds,
    int concurrency,
    /** How long the cluster's own statement rate is measured before the scrapes. */
    Duration baseline,
    /** Leader changes on the quiet machine, alternately a switchover and a hard kill of the leader. */
    int leaderChanges,
    /** Leader changes more, with the bench's own CPU load beside them ({@link #loadThreads}). */
    int loadedLeaderChanges,
    /** Busy threads of the bench's CPU load (one per core of the development machine). */
    int loadThreads,
    /** Simulated Patroni scopes of 3 members each, on one etcd and behind simulated REST APIs: one site per size. */
    List<Integer> scopes,
    /** exporter-postgres targets at each site size, in step with {@link #scopes}. */
    List<Integer> postgresTargets,
    int scaleScrapes,
    /** Streaming WAL receivers added beside the cluster's two replicas. */
    int extraStandbys) {

  public BenchPlan {
    scopes = List.copyOf(scopes);
    postgresTargets = List.copyOf(postgresTargets);
    if (scopes.size() != postgresTargets.size()) {
      throw new IllegalArgumentException("one postgres target count per site size: " + scopes + " vs " + postgresTargets);
    }
  }

  public static BenchPlan fullPlan() {
    return new BenchPlan(false, 1000, 50, 10, 16, Duration.ofSeconds(10), 10, 6, 2, List.of(1, 10, 100),
        List.of(1, 10, 50), 200, 8);
  }

  public static BenchPlan quickPlan() {
    return new BenchPlan(true, 40, 5, 2, 16, Duration.ofSeconds(5), 1, 1, 2, List.of(1, 10), List.of(1, 10), 20, 2);
  }
}
