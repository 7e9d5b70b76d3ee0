package io.pgha.patroni;

import static io.pgha.patroni.PatroniMetrics.LAST_PROMOTION_TIMESTAMP_SECONDS;
import static io.pgha.patroni.PatroniMetrics.LEADER_CHANGES;
import static io.pgha.patroni.PatroniMetrics.PROMOTIONS;

import io.pgha.common.ScrapeCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Promotions and leader changes from {@code GET /history}, the timeline history Patroni keeps in
 * the DCS. Because it is kept there, the counts survive exporter restarts and include flips that
 * happened between two scrapes.
 */
final class PatroniHistoryCollector {
  private PatroniHistoryCollector() {}

  static ScrapeCollector of(PatroniScope scope) {
    return new ScopeCollector("history", scope, scrape -> scrape.history().map(h -> snapshots(scope.name(), h)));
  }

  /** Pure. */
  static List<MetricSnapshot> snapshots(String scope, HistorySummary history) {
    List<MetricSnapshot> out = new ArrayList<>();
    out.add(PROMOTIONS.snapshot(history.promotions(), scope));
    out.add(LEADER_CHANGES.snapshot(history.leaderChanges(), scope));
    history.lastPromotedAt().ifPresent(at ->
        out.add(LAST_PROMOTION_TIMESTAMP_SECONDS.snapshot(at.getEpochSecond() + at.getNano() / 1e9, scope)));
    return out;
  }
}
