package io.pgha.patroni;

import static io.pgha.common.Snapshots.counter;
import static io.pgha.common.Snapshots.counterPoint;
import static io.pgha.common.Snapshots.gauge;
import static io.pgha.common.Snapshots.gaugePoint;

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
  static final String PROMOTIONS = "pgha_patroni_promotions";
  static final String LEADER_CHANGES = "pgha_patroni_leader_changes";
  static final String LAST_PROMOTION = "pgha_patroni_last_promotion_timestamp_seconds";

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
    out.add(counter(PROMOTIONS, "Promotions in the cluster's timeline history (GET /history): each one started a new "
        + "timeline. Entries Patroni dropped (max_timelines_history) are counted from the first kept timeline.",
        counterPoint(promotions(history), "scope", scope)));
    out.add(counter(LEADER_CHANGES, "Promotions whose new leader differs from the previous entry's: failovers and "
        + "switchovers. A leader re-promoted after demoting itself is not counted; an entry without a leader is.",
        counterPoint(leaderChanges(history), "scope", scope)));
    if (!history.isEmpty()) {
      history.get(history.size() - 1).promotedAt().ifPresent(at -> out.add(gauge(LAST_PROMOTION,
          "When the latest promotion happened, in seconds since the epoch (GET /history).",
          gaugePoint(at.getEpochSecond() + at.getNano() / 1e9, "scope", scope))));
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
