package io.pgha.patroni;

import static io.pgha.patroni.PatroniMetrics.FAILOVER_CANDIDATES;
import static io.pgha.patroni.PatroniMetrics.MEMBER_FAILOVER_BLOCKER;
import static io.pgha.patroni.PatroniMetrics.MEMBER_FAILOVER_ELIGIBLE;

import io.pgha.common.ScrapeCollector;
import io.pgha.patroni.api.PatroniCluster;
import io.pgha.patroni.api.PatroniDynamicConfig;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Could the cluster fail over right now: which members Patroni would promote if the leader died,
 * and why each other one would not be ({@link FailoverEligibility}), from {@code /cluster},
 * {@code /config}, every member's {@code /patroni} and {@code /history} of this scrape. Without a
 * {@code /cluster} answer there is nothing to judge and nothing is written; without {@code /config}
 * the collector fails rather than guess the thresholds.
 */
final class PatroniFailoverCollector {
  private PatroniFailoverCollector() {}

  static ScrapeCollector of(PatroniScope scope) {
    return new ScopeCollector("failover", scope, scrape -> judged(scope.name(), scrape));
  }

  private static Future<List<MetricSnapshot>> judged(String scope, PatroniScope.Scrape scrape) {
    return scrape.view().compose(v -> {
      if (v.cluster().isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      // The history only refines the cluster timeline (check_timeline); its failure is not this collector's.
      Future<HistorySummary> history = scrape.history().otherwise(HistorySummary.EMPTY);
      return Future.all(scrape.config(), scrape.probes(), history).map(done -> snapshots(scope,
          v.cluster().get(), scrape.config().result(), scrape.probes().result(), history.result()));
    });
  }

  /** Pure. */
  static List<MetricSnapshot> snapshots(String scope, PatroniCluster cluster, PatroniDynamicConfig config,
      Map<String, MemberProbe> probes, HistorySummary history) {
    List<FailoverEligibility.Verdict> verdicts = FailoverEligibility.judge(cluster, config, probes, history);
    List<GaugeDataPointSnapshot> eligible = new ArrayList<>();
    List<GaugeDataPointSnapshot> blockers = new ArrayList<>();
    for (FailoverEligibility.Verdict v : verdicts) {
      eligible.add(MEMBER_FAILOVER_ELIGIBLE.point(v.eligible() ? 1 : 0, scope, v.member()));
      String current = v.reason().map(FailoverEligibility.Reason::label).orElse("");
      blockers.addAll(MEMBER_FAILOVER_BLOCKER.oneHot(FailoverEligibility.Reason.LABELS, current, scope, v.member()));
    }
    return List.of(
        FAILOVER_CANDIDATES.snapshot(verdicts.stream().filter(FailoverEligibility.Verdict::eligible).count(), scope),
        MEMBER_FAILOVER_ELIGIBLE.snapshot(eligible),
        MEMBER_FAILOVER_BLOCKER.snapshot(blockers));
  }
}
