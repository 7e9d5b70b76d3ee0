package io.pgha.patroni;

import static io.pgha.patroni.PatroniMetrics.MEMBER_POSTGRES_RUNNING;
import static io.pgha.patroni.PatroniMetrics.MEMBER_UP;

import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.pgha.patroni.api.UnexpectedResponseException;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.List;

/** One member as its own REST API describes it, from {@code GET /patroni}. */
final class PatroniMemberCollector implements ScrapeCollector {
  private final String name;
  private final String scope;
  private final Future<MemberProbe> probe;

  PatroniMemberCollector(String name, String scope, Future<MemberProbe> probe) {
    this.name = name;
    this.scope = scope;
    this.probe = probe;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    return probe.map(p -> snapshots(scope, p));
  }

  /**
   * Pure. An unreachable member is {@code member_up 0}; one that answered like something other
   * than Patroni throws, which fails this member's collector with the reason.
   */
  static List<MetricSnapshot> snapshots(String scope, MemberProbe probe) {
    String member = probe.member();
    if (probe instanceof MemberProbe.Answered a) {
      return List.of(
          MEMBER_UP.snapshot(1, scope, member),
          MEMBER_POSTGRES_RUNNING.snapshot(a.status().postgresRunning() ? 1 : 0, scope, member));
    }
    if (probe instanceof MemberProbe.Unreachable) {
      return List.of(MEMBER_UP.snapshot(0, scope, member));
    }
    throw new UnexpectedResponseException(probe.apiUrl() + ": " + ((MemberProbe.Unexpected) probe).reason());
  }
}
