package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.drills.ClusterControl;
import io.pgha.etcd.EtcdMetrics;
import io.pgha.lab.client.Http;
import io.pgha.lab.client.LeaderEventsApi;
import io.pgha.lab.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Leader changes as exporter-etcd tells them, caused for real: a manual failover (Patroni's
 * {@code /failover} with only a candidate, the leader running) and the way back with
 * {@code pgha switchover}, each read back from {@code /metrics}, {@code /events} and {@code pgha events},
 * each its own PghaPatroniFailover notification (with from, to, kind) timed from the leader key's put;
 * then the exporters restarted, which rebuild the list from Patroni's history. The other kinds
 * ({@code released}, {@code expired}) come from DrillsIT's leader-stop and leader-kill, whose verdicts
 * check the event and its vacancy against the drill's own measure.
 */
@PghaCluster.Test
class LeaderEventsIT {
  private static final String ALERT = "PghaPatroniFailover";
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(3);
  private static final LeaderEventsApi EVENTS = new LeaderEventsApi(new Http());

  @Test
  void aFailoverAndASwitchoverAreEventsOfTheirKindEachNotifiedThenRebuiltAfterARestart(TestCluster cluster)
      throws Exception {
    cluster.awaitHealthy(WAIT);
    Topology t = cluster.topology();
    String old = LeaderKeyClock.holder(t).orElseThrow();
    String candidate = t.members().stream().map(Topology.Member::name).filter(n -> !n.equals(old))
        .findFirst().orElseThrow();
    ClusterControl control = new ClusterControl(t, cluster.installation());
    long startedAt = System.currentTimeMillis();
    try (NotificationWatch watch = NotificationWatch.start(cluster)) {
      Change first = cause(cluster, watch, old, candidate, "failover", () -> control.failover(old, candidate));
      cluster.awaitHealthy(WAIT);
      Change second = cause(cluster, watch, candidate, old, "switchover", () -> {
        TestCluster.CliResult r = cluster.pgha("switchover", "--candidate", old);
        assertThat(r.exitCode()).as(r.output()).isZero();
        return null;
      });
      System.out.printf("LeaderEventsIT: two changes %.1f s apart, each notified (%d ms and %d ms after the "
          + "leader key's put)%n", (second.keyPutMillis - first.keyPutMillis) / 1000.0, first.notifiedAfterMillis,
          second.notifiedAfterMillis);
    }
    cluster.awaitHealthy(WAIT);

    // A restart knows only what Patroni's history tells: both changes, marked as rebuilt.
    cluster.stopExporters();
    cluster.heal();
    LeaderEventsApi.Page rebuilt = await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> EVENTS.read(t, Optional.of(t.scope()), 100), p -> p.watchHealthy() && !p.events().isEmpty());
    assertThat(rebuilt.events()).allMatch(LeaderEventsApi.Event::rebuilt);
    LeaderEventsApi.Event newest = rebuilt.events().get(0);
    LeaderEventsApi.Event before = rebuilt.events().get(1);
    assertThat(List.of(newest.from(), newest.to(), before.to())).as("%s", rebuilt.events())
        .containsExactly(Optional.of(candidate), Optional.of(old), Optional.of(candidate));
    // History names only new leaders: the old one is the previous entry's, unknown for the first.
    assertThat(before.from()).as("%s", rebuilt.events()).isIn(Optional.empty(), Optional.of(old));
    assertThat(newest.timeline().getAsLong()).isEqualTo(before.timeline().getAsLong() + 1);
    assertThat(newest.switchLsn()).isPresent();
    TestCluster.CliResult table = cluster.pgha("events", "--last", "2");
    assertThat(table.exitCode()).as(table.output()).isZero();
    assertThat(table.stdout()).contains("(history)", "known from Patroni's history only, read when exporter-etcd started");
    System.out.printf("LeaderEventsIT: took %d s%n", (System.currentTimeMillis() - startedAt) / 1000);
  }

  /** When the leader key's put reached the test's own watch, and how long after it the notification came. */
  private record Change(long keyPutMillis, long notifiedAfterMillis) {}

  /**
   * Causes a change from {@code from} to {@code to} and reads it back: the event on {@code /events}
   * (kind, vacancy, no WAL at risk for a change the old leader agreed to), the metrics, {@code pgha
   * events} in both forms, and its own notification.
   */
  private static Change cause(TestCluster cluster, NotificationWatch watch, String from, String to, String kind,
      Callable<Http.Response> action) throws Exception {
    Topology t = cluster.topology();
    ExporterScrape before = scrape(t);
    long put;
    try (LeaderKeyClock clock = LeaderKeyClock.watchFor(t, to)) {
      Http.Response r = action.call();
      assertThat(r == null || r.ok()).as("%s answered %s", kind, r == null ? "" : r.status() + " " + r.body()).isTrue();
      put = clock.await(WAIT).epochMillis();
    }

    // The WAL at risk is told once the new leader wrote /history, a loop or two after the put.
    LeaderEventsApi.Event e = await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
        .until(() -> EVENTS.read(t, Optional.of(t.scope()), 5).events().get(0),
            ev -> ev.to().equals(Optional.of(to)) && ev.walAtRiskBytes().isPresent());
    assertThat(e.rebuilt()).isFalse();
    assertThat(e.from()).isEqualTo(Optional.of(from));
    assertThat(e.kind()).isEqualTo(Optional.of(kind));
    assertThat(e.vacancySeconds()).isPresent();
    assertThat(e.walAtRiskBytes().getAsLong()).as("WAL at risk after a %s", kind).isZero();
    assertThat(e.timeline()).isPresent();
    assertThat(e.detectedAt().orElseThrow().toEpochMilli()).isGreaterThanOrEqualTo(put - 1_000);

    ExporterScrape after = scrape(t);
    assertThat(after.valueOf(EtcdMetrics.DCS_LAST_LEADER_CHANGE_INFO.name(), "scope", t.scope(), "from", from,
        "to", to, "kind", kind)).isEqualTo(1.0);
    assertThat(after.valueOf(EtcdMetrics.DCS_LEADER_CHANGES.name(), "scope", t.scope(), "kind", kind)
        - before.valueOf(EtcdMetrics.DCS_LEADER_CHANGES.name(), "scope", t.scope(), "kind", kind)).isEqualTo(1.0);
    assertThat(after.valueOf(EtcdMetrics.DCS_LEADER_VACANCY.name() + "_count", "scope", t.scope(), "kind", kind)
        - before.valueOf(EtcdMetrics.DCS_LEADER_VACANCY.name() + "_count", "scope", t.scope(), "kind", kind))
        .isEqualTo(1.0);
    assertThat(after.valueOf(EtcdMetrics.DCS_LAST_FAILOVER_WAL_AT_RISK_BYTES.name(), "scope", t.scope())).isZero();

    TestCluster.CliResult json = cluster.pgha("events", "--json", "--last", "1");
    assertThat(json.exitCode()).as(json.output()).isZero();
    LeaderEventsApi.Event told = LeaderEventsApi.parse(new ObjectMapper().readTree(json.stdout())).events().get(0);
    assertThat(List.of(told.from(), told.to(), told.kind(), told.timeline()))
        .isEqualTo(List.of(e.from(), e.to(), e.kind(), e.timeline()));
    TestCluster.CliResult table = cluster.pgha("events", "--last", "1");
    assertThat(table.exitCode()).as(table.output()).isZero();
    assertThat(table.stdout()).containsPattern("\\s" + from + "\\s+" + to + "\\s+" + kind + "\\s");

    Map<String, String> labels = Map.of("alertname", ALERT, "scope", t.scope(), "from", from, "to", to, "kind", kind);
    NotificationWatch.Seen n = watch.await("firing notification with " + labels, a -> a.status().equals("firing")
        && labels.entrySet().stream().allMatch(l -> l.getValue().equals(a.labels().get(l.getKey()))), WAIT);
    assertThat(n.alert().annotations().get("description")).contains(to + " took the leader key");
    System.out.printf("LeaderEventsIT: %s %s -> %s: vacancy %.3f s, WAL at risk %d B, notified %d ms after the "
        + "leader key's put%n", kind, from, to, e.vacancySeconds().getAsDouble(), e.walAtRiskBytes().getAsLong(),
        n.seenAtMillis() - put);
    return new Change(put, n.seenAtMillis() - put);
  }

  private static ExporterScrape scrape(Topology t) {
    ExporterScrape s = ExporterScrape.of(t.exporters().metricsUrl("etcd"), SCRAPE_TIMEOUT);
    assertThat(s.status()).as("exporter-etcd /metrics:\n%s", s.body()).isEqualTo(200);
    return s;
  }
}
