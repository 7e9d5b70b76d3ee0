package io.pgha.patroni;

import static io.pgha.patroni.PatroniMetrics.LAST_PROMOTION_TIMESTAMP_SECONDS;
import static io.pgha.patroni.PatroniMetrics.LEADER_CHANGES;
import static io.pgha.patroni.PatroniMetrics.PROMOTIONS;

import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.pgha.patroni.api.HistoryEntry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Promotions and leader changes from {@code GET /history}, the timeline history Patroni keeps in
 * the DCS. Because it is kept there, the counts survive exporter restarts and include flips that
 * happened between two scrapes.
 */
final class PatroniHistoryCollector implements ScrapeCollector {
  private final PatroniScope scope;

  PatroniHistoryCollector(PatroniScope scope) {
    this.scope = scope;
  }

  @Override
  public String name() {
    return "history:" + scope.name();
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    return scope.scrape(context).history().map(h -> snapshots(scope.name(), h));
  }

  /** Pure. */
  static List<MetricSnapshot> snapshots(String scope, List<HistoryEntry> history) {
    List<MetricSnapshot> out = new ArrayList<>();
    out.add(PROMOTIONS.snapshot(promotions(history), scope));
    out.add(LEADER_CHANGES.snapshot(leaderChanges(history), scope));
    if (!history.isEmpty()) {
      history.get(history.size() - 1).promotedAt().ifPresent(at ->
          out.add(LAST_PROMOTION_TIMESTAMP_SECONDS.snapshot(at.getEpochSecond() + at.getNano() / 1e9, scope)));
    }
    return out;
  }

  static long promotions(List<HistoryEntry> history) {
    if (history.isEmpty()) {
      return 0;
    }
    // A history cut by max_timelines_history starts above timeline 1; what it dropped were promotions too.
    return history.size() + Math.max(0, history.get(0).timeline() - 1);
  }

  static long leaderChanges(List<HistoryEntry> history) {
    long changes = 0;
    Optional<String> previous = Optional.empty();
    for (HistoryEntry entry : history) {
      boolean sameLeader = entry.newLeader().isPresent() && entry.newLeader().equals(previous);
      if (!sameLeader) {
        changes++;
      }
      previous = entry.newLeader();
    }
    return changes;
  }
}
