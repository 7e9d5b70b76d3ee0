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
    /** Leader changes, alternately a switchover and a hard kill of the leader. */
    int leaderChanges,
    /** Simulated Patroni members exporter-patroni is run against. */
    List<Integer> simulatedMembers,
    int scaleScrapes,
    /** Streaming WAL receivers added beside the cluster's two replicas. */
    int extraStandbys) {

  public static BenchPlan fullPlan() {
    return new BenchPlan(false, 1000, 50, 10, 16, Duration.ofSeconds(10), 10, List.of(3, 30, 300),
        200, 8);
  }

  public static BenchPlan quickPlan() {
    return new BenchPlan(true, 40, 5, 2, 16, Duration.ofSeconds(5), 2, List.of(3, 30), 20, 2);
  }
}
