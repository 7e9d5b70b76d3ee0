package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.common.MetricFamily;
import io.pgha.dashboards.LiveQueryCheck;
import io.pgha.dashboards.LiveQueryReport;
import io.pgha.etcd.EtcdMetrics;
import io.pgha.patroni.PatroniMetrics;
import io.pgha.patroni.api.PatroniCluster;
import io.pgha.testkit.LivePrometheus;
import io.pgha.traffic.TrafficOptions;
import io.pgha.traffic.TrafficRun;
import io.pgha.traffic.TrafficSummary;
import io.pgha.traffic.TrafficTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every PromQL query of the committed dashboards (dashboards/json, what Grafana loads), with the
 * template variables substituted, is accepted by the live Prometheus and returns at least one
 * series, and every metric the dashboards name exists there: with demo traffic flowing and right
 * after a switchover, which the leader-change annotations need (their metrics exist only once a
 * leader change has been seen). The leader is switched back at the end.
 */
@PghaCluster.Test
class DashboardsLiveIT {
  private static final Path DASHBOARDS = Path.of(System.getProperty("pgha.home"), "dashboards", "json");
  private static final Duration BOUND = Duration.ofSeconds(90);

  private String leaderBefore;

  @Test
  void everyPanelQueryReturnsSeriesWithTrafficAfterASwitchover(TestCluster cluster) throws Exception {
    long started = System.currentTimeMillis();
    cluster.awaitHealthy(Duration.ofSeconds(60));
    String before = leader(cluster);
    leaderBefore = before;
    String candidate = cluster.topology().members().stream().map(m -> m.name())
        .filter(n -> !n.equals(before)).findFirst().orElseThrow();
    LivePrometheus prometheus = new LivePrometheus(cluster.topology().prometheus().url());
    String scope = cluster.topology().scope();
    List<JsonNode> dashboards = LiveQueryCheck.load(DASHBOARDS);
    assertThat(dashboards).extracting(d -> d.path("uid").asText())
        .as("committed dashboards in %s", DASHBOARDS)
        .containsExactlyInAnyOrderElementsOf(LiveQueryCheck.generatedDashboards().stream()
            .map(d -> d.path("uid").asText()).toList());

    TrafficOptions options = TrafficOptions.defaults(cluster.workdir().resolve("traffic")).withRate(20, 0.5);
    TrafficSummary summary;
    LiveQueryReport report;
    long writesBeforeCheck;
    long writesSinceCheck;
    try (TrafficRun traffic = TrafficRun.start(TrafficTarget.of(cluster.workdir(), TestCluster.DATABASE),
        options)) {
      long switchedAt = System.currentTimeMillis();
      TestCluster.CliResult r = cluster.pgha("switchover", "--candidate", candidate);
      assertThat(r.exitCode()).as(r.output()).isZero();
      // The annotations' metrics, stamped with this switchover: exporter-etcd saw the key move,
      // exporter-patroni read the new /history entry.
      double since = (switchedAt - 1000) / 1000.0;
      Awaitility.await("leader-change metrics of the switchover in Prometheus").atMost(BOUND)
          .pollInterval(Duration.ofSeconds(1)).until(() ->
              maxOf(prometheus, EtcdMetrics.DCS_LAST_LEADER_CHANGE_TIMESTAMP_SECONDS, scope) >= since
              && maxOf(prometheus, PatroniMetrics.LAST_PROMOTION_TIMESTAMP_SECONDS, scope) >= since);
      System.out.printf("DashboardsLiveIT: switchover %s -> %s; its leader-change metrics in Prometheus after %.1f s%n",
          before, candidate, (System.currentTimeMillis() - switchedAt) / 1000.0);

      // The old leader rejoins as a replica and streams a few seconds after the switchover returns;
      // until then, and one scrape after, the lag panels have nothing to show: check until clean.
      cluster.awaitHealthy(Duration.ofSeconds(60));
      LiveQueryCheck check = LiveQueryCheck.against(prometheus.url())
          .variable("scope", scope)
          .scrapeIntervalSeconds(prometheus.scrapeInterval().toSeconds())
          .requireSeries(true)
          .build();
      AtomicReference<LiveQueryReport> last = new AtomicReference<>();
      AtomicLong lastFrom = new AtomicLong();
      AtomicInteger attempts = new AtomicInteger();
      try {
        Awaitility.await("every dashboard query with series").atMost(BOUND).pollInterval(Duration.ofSeconds(2))
            .until(() -> {
              attempts.incrementAndGet();
              lastFrom.set(traffic.nowMillis());
              last.set(check.run(dashboards));
              if (!last.get().problems().isEmpty()) {
                System.out.printf("DashboardsLiveIT: attempt %d: %s%n", attempts.get(), last.get().problems());
              }
              return last.get().problems().isEmpty();
            });
      } catch (ConditionTimeoutException e) {
        // the last report's problems fail the test below, with the report
      }
      report = last.get();
      // A check of under a second can fall between two paced writes. Traffic flowed while the
      // queries ran when writes were acknowledged in the seconds before the check began and again
      // after it began: wait (bounded) for the first of those.
      long checkedFrom = lastFrom.get();
      writesBeforeCheck = traffic.window(checkedFrom - 5_000, checkedFrom).writesOk();
      try {
        Awaitility.await("a write acknowledged after the last check began").atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> traffic.window(checkedFrom, traffic.nowMillis()).writesOk() > 0);
      } catch (ConditionTimeoutException e) {
        // asserted below
      }
      writesSinceCheck = traffic.window(checkedFrom, traffic.nowMillis()).writesOk();
      System.out.printf("DashboardsLiveIT: live query check attempt %d (the last) ended %.1f s after the switchover%n",
          attempts.get(), (System.currentTimeMillis() - switchedAt) / 1000.0);
      summary = traffic.stop();
    }
    System.out.print(report.render());
    System.out.printf("DashboardsLiveIT: traffic %d writes ok, %d failed, %d reads ok, %d failed; "
            + "longest write outage %d ms (the switchover); lost writes %d%n",
        summary.writesOk(), summary.writesFailed(), summary.readsOk(), summary.readsFailed(),
        summary.longestWriteOutageMillis(), summary.lostWrites());

    assertThat(report.problems()).as(report.render()).isEmpty();
    assertThat(report.results()).as("queries checked").hasSizeGreaterThan(dashboards.size());
    // problems() leaves annotations out of "no series"; after a switchover they must have one too.
    assertThat(report.results()).filteredOn(res -> res.query().isAnnotation())
        .as("leader-change annotations").isNotEmpty()
        .allSatisfy(res -> assertThat(res.series()).as(res.query().where() + ": " + res.sent()).isPositive());
    assertThat(writesBeforeCheck).as("writes acknowledged in the 5 s before the last check began").isPositive();
    assertThat(writesSinceCheck).as("writes acknowledged within 10 s after the last check began").isPositive();
    System.out.printf("DashboardsLiveIT: %d queries over %d dashboards, %d metrics, all with series; %.1f s%n",
        report.results().size(), dashboards.size(), report.metricsUsed().size(),
        (System.currentTimeMillis() - started) / 1000.0);
  }

  /** Puts the leader back where the test found it, also when the test failed. */
  @AfterEach
  void switchBack(TestCluster cluster) {
    if (leaderBefore == null) {
      return;
    }
    cluster.awaitHealthy(Duration.ofSeconds(60));
    if (!leader(cluster).equals(leaderBefore)) {
      TestCluster.CliResult back = cluster.pgha("switchover", "--candidate", leaderBefore);
      assertThat(back.exitCode()).as(back.output()).isZero();
      cluster.awaitHealthy(Duration.ofSeconds(60));
    }
  }

  private static double maxOf(LivePrometheus prometheus, MetricFamily family, String scope) {
    return prometheus.value("max(" + family.name() + "{scope=\"" + scope + "\"})");
  }

  private static String leader(TestCluster cluster) {
    List<String> leaders = cluster.state().members().orElseThrow().stream()
        .filter(PatroniCluster.Member::leader).map(PatroniCluster.Member::name).toList();
    assertThat(leaders).hasSize(1);
    return leaders.get(0);
  }
}
