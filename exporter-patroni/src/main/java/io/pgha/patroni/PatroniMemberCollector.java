package io.pgha.patroni;

import static io.pgha.common.Snapshots.gauge;
import static io.pgha.common.Snapshots.gaugePoint;

import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.pgha.patroni.api.UnexpectedResponseException;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.List;

/** One member as its own REST API describes it, from {@code GET /patroni}. */
final class PatroniMemberCollector implements ScrapeCollector {
  static final String MEMBER_UP = "pgha_patroni_member_up";
  static final String POSTGRES_RUNNING = "pgha_patroni_member_postgres_running";

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
    String[] labels = {"scope", scope, "member", probe.member()};
    String upHelp = "1 if the member's REST API answered GET /patroni, 0 if it could not be reached in time.";
    if (probe instanceof MemberProbe.Answered a) {
      return List.of(
          gauge(MEMBER_UP, upHelp, gaugePoint(1, labels)),
          gauge(POSTGRES_RUNNING, "1 if Patroni reports PostgreSQL running on the member (GET /patroni state).",
              gaugePoint(a.status().postgresRunning() ? 1 : 0, labels)));
    }
    if (probe instanceof MemberProbe.Unreachable) {
      return List.of(gauge(MEMBER_UP, upHelp, gaugePoint(0, labels)));
    }
    throw new UnexpectedResponseException(probe.apiUrl() + ": " + ((MemberProbe.Unexpected) probe).reason());
  }
}
