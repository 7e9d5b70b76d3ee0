package io.pgha.patroni;

import static io.pgha.patroni.PatroniMetrics.MEMBER_DCS_LAST_SEEN_AGE_SECONDS;
import static io.pgha.patroni.PatroniMetrics.MEMBER_POSTGRES_RUNNING;
import static io.pgha.patroni.PatroniMetrics.MEMBER_UP;

import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One member as its own REST API describes it, from {@code GET /patroni}. */
record PatroniMemberCollector(String name, String scope, Future<MemberProbe> probe, Clock clock) implements ScrapeCollector {

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    return probe.map(p -> snapshots(scope, p, clock.instant()));
  }

  /**
   * Pure. A member that did not answer, or answered like something other than Patroni of this scope,
   * is {@code member_up 0} and nothing else: what it would say is unknown.
   */
  static List<MetricSnapshot> snapshots(String scope, MemberProbe probe, Instant now) {
    String member = probe.member();
    if (!(probe instanceof MemberProbe.Answered a)) {
      return List.of(MEMBER_UP.snapshot(0, scope, member));
    }
    List<MetricSnapshot> out = new ArrayList<>(3);
    out.add(MEMBER_UP.snapshot(1, scope, member));
    out.add(MEMBER_POSTGRES_RUNNING.snapshot(a.status().postgresRunning() ? 1 : 0, scope, member));
    // Patroni stamps whole seconds: an age below 0 is the clocks' and the rounding's, not news from the future.
    a.status().dcsLastSeen().ifPresent(seen -> out.add(MEMBER_DCS_LAST_SEEN_AGE_SECONDS.snapshot(
        Math.max(0, now.toEpochMilli() / 1000.0 - seen), scope, member)));
    return out;
  }
}
