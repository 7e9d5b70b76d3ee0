package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgha.etcd.EtcdMetrics;
import io.pgha.patroni.PatroniMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * exporter-etcd as {@code pgha up} runs it, against the cluster's etcd and Patroni: the quorum
 * gauges follow etcd members stopped one by one and back, and a switchover shows in
 * {@code pgha_dcs_leader*} within a second of the leader key's change in etcd. The quorum loss
 * is also where Patroni's leader demotes and promotes itself again, which exporter-patroni must
 * count as a promotion but not as a leader change.
 */
@PghaCluster.Test
class EtcdExporterIT {
  private static final String SCOPE = "pgha";
  private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** The bound from the key's change to /metrics showing it. */
  private static final Duration DETECTION_BOUND = Duration.ofSeconds(1);

  private static ExporterScrape scrape(TestCluster cluster) {
    ExporterScrape s = ExporterScrape.of(
        cluster.exporterUrl("etcd"), SCRAPE_TIMEOUT);
    assertThat(s.status()).as("HTTP status of /metrics:\n%s", s.body()).isEqualTo(200);
    return s;
  }

  private static String holder(ExporterScrape s) {
    List<String> on = s.byLabel(EtcdMetrics.DCS_LEADER.name(), "member", "scope", SCOPE).entrySet().stream()
        .filter(e -> e.getValue() == 1.0).map(Map.Entry::getKey).toList();
    assertThat(on).as(EtcdMetrics.DCS_LEADER.name() + " at 1:\n%s", s.body()).hasSize(1);
    return on.get(0);
  }

  @Test
  void quorumGaugesFollowStoppedMembersAndRecover(TestCluster cluster) throws Exception {
    cluster.awaitHealthy(WAIT);
    ExporterScrape healthy = scrape(cluster);
    assertQuorum(healthy, 3, 1, 1);
    healthy.assertPromtoolAccepts();
    String first = raftLeader(healthy);
    ExporterScrape patroniBefore = await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
        .until(() -> patroniScrape(cluster), EtcdExporterIT::historyCaughtUp);

    cluster.stopEtcd(first);
    boolean healed = false;
    try {
      // The raft leader is gone: after the election the other two keep the quorum, with no slack.
      ExporterScrape one = await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
          .until(() -> scrape(cluster), s -> s.valueOf(EtcdMetrics.ETCD_FAILURES_TOLERABLE.name()) == 0.0
              && s.valueOf(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name()) == 1.0
              && s.value(EtcdMetrics.ETCD_MEMBER_IS_LEADER.name(), "member", first).isEmpty()
              // Until the election the survivors still name the stopped member: one leader seen, none of them.
              && s.byLabel(EtcdMetrics.ETCD_MEMBER_IS_LEADER.name(), "member").containsValue(1.0)
              && s.valueOf(EtcdMetrics.ETCD_CLUSTER_LEADERS_SEEN.name()) == 1.0);
      assertQuorum(one, 2, 1, 0);
      assertThat(one.valueOf(EtcdMetrics.ETCD_MEMBER_UP.name(), "member", first)).isEqualTo(0.0);
      assertThat(one.valueOf(EtcdMetrics.ETCD_MEMBER_HEALTHY.name(), "member", first)).isEqualTo(0.0);
      String survivor = raftLeader(one);
      String second = cluster.topology().etcd().stream().map(e -> e.name())
          .filter(n -> !n.equals(first) && !n.equals(survivor)).findFirst().orElseThrow();

      cluster.stopEtcd(second);
      long lost = System.nanoTime();
      // The cluster state is probed in the background: the loss shows within one probe's interval
      // and timeout (pgha_etcd_state_age_seconds says how old a reading is); each scrape answers in time.
      ExporterScrape two = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
          .until(() -> scrape(cluster), s -> s.value(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name()).orElse(1.0) == 0.0
              && s.value(EtcdMetrics.ETCD_CLUSTER_MEMBERS_HEALTHY.name()).orElse(-1.0) == 0.0);
      System.out.printf("EtcdExporterIT: %s and %s stopped: next scrape answered in %d ms "
          + "(announced timeout %d ms), the loss shown after %d ms%n", first, second, two.elapsed().toMillis(),
          SCRAPE_TIMEOUT.toMillis(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lost));
      assertThat(two.elapsed()).isLessThan(SCRAPE_TIMEOUT);
      assertQuorum(two, 0, 0, 0);
      assertThat(two.valueOf(EtcdMetrics.ETCD_UP.name())).as("the survivor still answers").isEqualTo(1.0);
      assertThat(two.byLabel(EtcdMetrics.ETCD_MEMBER_UP.name(), "member"))
          .isEqualTo(Map.of(first, 0.0, second, 0.0, survivor, 1.0));
      assertThat(two.valueOf(EtcdMetrics.ETCD_MEMBER_HEALTHY.name(), "member", survivor)).isEqualTo(0.0);
      assertThat(two.value(EtcdMetrics.ETCD_MEMBER_RAFT_TERM.name(), "member", survivor)).isPresent();
      two.assertPromtoolAccepts();
      // Patroni's leader demotes after ttl without quorum: bring etcd back at once.
      healed = true;
      cluster.heal();
      System.out.printf("EtcdExporterIT: etcd without quorum for %d ms (until pgha up returned)%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lost));
    } finally {
      if (!healed) {
        cluster.heal();
      }
    }

    ExporterScrape back = await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
        .until(() -> scrape(cluster), s -> s.valueOf(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name()) == 1.0
            && s.valueOf(EtcdMetrics.ETCD_CLUSTER_MEMBERS_HEALTHY.name()) == 3.0
            && s.valueOf(EtcdMetrics.DCS_WATCH_HEALTHY.name(), "scope", SCOPE) == 1.0);
    assertQuorum(back, 3, 1, 1);
    assertThat(back.byLabel(EtcdMetrics.ETCD_MEMBER_UP.name(), "member").values()).containsOnly(1.0);
    cluster.awaitHealthy(Duration.ofSeconds(120));
    // The watch came back by itself and shows the key's holder, whatever happened meanwhile.
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      ExporterScrape s = scrape(cluster);
      assertThat(s.valueOf(EtcdMetrics.DCS_WATCH_HEALTHY.name(), "scope", SCOPE)).isEqualTo(1.0);
      assertThat(s.valueOf(EtcdMetrics.DCS_LEADER_KEY_PRESENT.name(), "scope", SCOPE)).isEqualTo(1.0);
      assertThat(holder(s)).isEqualTo(LeaderKeyClock.holder(cluster.topology()).orElseThrow());
    });
    assertLeaderChangesCountedOnlyForANewLeader(cluster, patroniBefore);
    System.out.printf("EtcdExporterIT: watch reconnects so far: %.0f, missed events replayed: %.0f%n",
        scrape(cluster).valueOf(EtcdMetrics.DCS_WATCH_RECONNECTS.name(), "scope", SCOPE),
        scrape(cluster).valueOf(EtcdMetrics.DCS_WATCH_MISSED_EVENTS.name(), "scope", SCOPE));
  }

  private static ExporterScrape patroniScrape(TestCluster cluster) {
    return ExporterScrape.of(
        cluster.exporterUrl("patroni"), SCRAPE_TIMEOUT);
  }

  private static Optional<String> patroniLeader(ExporterScrape s) {
    List<String> on = s.byLabel(PatroniMetrics.LEADER.name(), "member", "scope", SCOPE).entrySet().stream()
        .filter(e -> e.getValue() == 1.0).map(Map.Entry::getKey).toList();
    return on.size() == 1 ? Optional.of(on.get(0)) : Optional.empty();
  }

  /** The leader wrote its promotion to the history: one entry per timeline before its own. */
  private static boolean historyCaughtUp(ExporterScrape s) {
    return s.status() == 200 && patroniLeader(s).flatMap(l -> {
      OptionalDouble tl = s.value(PatroniMetrics.MEMBER_TIMELINE.name(), "member", l, "scope", SCOPE);
      OptionalDouble promotions = s.value(PatroniMetrics.PROMOTIONS.name(), "scope", SCOPE);
      return tl.isPresent() && promotions.isPresent()
          ? Optional.of(promotions.getAsDouble() == tl.getAsDouble() - 1) : Optional.empty();
    }).orElse(false);
  }

  /**
   * Without the DCS Patroni's leader demotes itself, and takes the key again when etcd is back:
   * a promotion (a new timeline) by the same member, which exporter-patroni must not count as a
   * leader change. Whether it demoted depends on how long the quorum was gone.
   */
  private static void assertLeaderChangesCountedOnlyForANewLeader(TestCluster cluster,
      ExporterScrape before) {
    ExporterScrape after = await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
        .until(() -> patroniScrape(cluster), EtcdExporterIT::historyCaughtUp);
    String leaderBefore = patroniLeader(before).orElseThrow();
    String leaderAfter = patroniLeader(after).orElseThrow();
    double promotions = after.valueOf(PatroniMetrics.PROMOTIONS.name(), "scope", SCOPE)
        - before.valueOf(PatroniMetrics.PROMOTIONS.name(), "scope", SCOPE);
    double changes = after.valueOf(PatroniMetrics.LEADER_CHANGES.name(), "scope", SCOPE)
        - before.valueOf(PatroniMetrics.LEADER_CHANGES.name(), "scope", SCOPE);
    System.out.printf("EtcdExporterIT: Patroni leader %s before the quorum loss, %s after: "
        + "promotions +%.0f, leader changes +%.0f%n", leaderBefore, leaderAfter, promotions, changes);
    if (leaderAfter.equals(leaderBefore)) {
      assertThat(changes).as("leader changes while %s kept the lead", leaderBefore).isZero();
    } else {
      assertThat(changes).as("leader changes from %s to %s", leaderBefore, leaderAfter)
          .isPositive().isLessThanOrEqualTo(promotions);
    }
  }

  private static void assertQuorum(ExporterScrape s, int healthy, int available, int tolerable) {
    assertThat(s.valueOf(EtcdMetrics.ETCD_UP.name())).isEqualTo(1.0);
    assertThat(s.valueOf(EtcdMetrics.ETCD_CLUSTER_MEMBERS.name())).isEqualTo(3.0);
    assertThat(s.valueOf(EtcdMetrics.ETCD_QUORUM_SIZE.name())).isEqualTo(2.0);
    assertThat(s.valueOf(EtcdMetrics.ETCD_CLUSTER_MEMBERS_HEALTHY.name())).as(s.body()).isEqualTo(healthy);
    assertThat(s.valueOf(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name())).as(s.body()).isEqualTo(available);
    assertThat(s.valueOf(EtcdMetrics.ETCD_FAILURES_TOLERABLE.name())).as(s.body()).isEqualTo(tolerable);
  }

  private static String raftLeader(ExporterScrape s) {
    List<String> leaders = s.byLabel(EtcdMetrics.ETCD_MEMBER_IS_LEADER.name(), "member").entrySet().stream()
        .filter(e -> e.getValue() == 1.0).map(Map.Entry::getKey).toList();
    assertThat(leaders).as("etcd raft leaders:\n%s", s.body()).hasSize(1);
    return leaders.get(0);
  }

  @Test
  void aSwitchoverShowsWithinASecondOfTheLeaderKeyChange(TestCluster cluster) throws Exception {
    cluster.awaitHealthy(WAIT);
    String old = holder(scrape(cluster));
    String candidate = cluster.topology().members().stream().map(m -> m.name())
        .filter(n -> !n.equals(old)).findFirst().orElseThrow();
    switchover(cluster, old, candidate);
    // Leave the leader where we found it: a second measurement on the way back.
    cluster.awaitHealthy(WAIT);
    switchover(cluster, candidate, old);
    cluster.awaitHealthy(WAIT);
  }

  /** A scrape of the poller and when its answer arrived ({@link System#nanoTime()}). */
  private record Seen(ExporterScrape scrape, long nanos, int scrapes) {}

  private static void switchover(TestCluster cluster, String from, String to) throws Exception {
    ExporterScrape before = scrape(cluster);
    assertThat(holder(before)).isEqualTo(from);
    double changes = before.sumOf(EtcdMetrics.DCS_LEADER_CHANGES.name(), "scope", SCOPE);
    double vacancies = before.valueOf(EtcdMetrics.DCS_LEADER_VACANCIES.name(), "scope", SCOPE);
    ExecutorService poller = Executors.newSingleThreadExecutor();
    try (LeaderKeyClock clock = LeaderKeyClock.watchFor(cluster.topology(), to)) {
      Future<Seen> shown = poller.submit(() -> firstScrapeShowing(cluster, to, changes + 1));
      TestCluster.CliResult r = cluster.pgha("switchover", "--candidate", to);
      assertThat(r.exitCode()).as(r.output()).isZero();
      LeaderKeyClock.Arrival keyChanged = clock.await(Duration.ofSeconds(10));
      Seen seen = shown.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      Duration latency = Duration.ofNanos(seen.nanos() - keyChanged.nanos());
      double ownStampMs = seen.scrape().valueOf(EtcdMetrics.DCS_LAST_LEADER_CHANGE_TIMESTAMP_SECONDS.name(),
          "scope", SCOPE) * 1000 - keyChanged.epochMillis();
      System.out.printf("EtcdExporterIT: switchover %s -> %s: new holder in /metrics %d ms after "
          + "our own watch saw the key change (the exporter's own change timestamp %+.0f ms from "
          + "it; %d scrapes polled)%n", from, to, latency.toMillis(), ownStampMs, seen.scrapes());
      assertThat(latency).as("leader key change to /metrics").isLessThan(DETECTION_BOUND);
    } finally {
      poller.shutdownNow();
    }
    ExporterScrape after = scrape(cluster);
    assertThat(holder(after)).isEqualTo(to);
    assertThat(after.valueOf(EtcdMetrics.DCS_LEADER.name(), "member", from, "scope", SCOPE)).isEqualTo(0.0);
    assertThat(after.valueOf(EtcdMetrics.DCS_LEADER_KEY_PRESENT.name(), "scope", SCOPE)).isEqualTo(1.0);
    assertThat(after.sumOf(EtcdMetrics.DCS_LEADER_CHANGES.name(), "scope", SCOPE))
        .as("leader changes after %s -> %s", from, to).isEqualTo(changes + 1);
    // Patroni's old leader releases the key before the candidate takes it.
    assertThat(after.valueOf(EtcdMetrics.DCS_LEADER_VACANCIES.name(), "scope", SCOPE))
        .isEqualTo(vacancies + 1);
    assertThat(after.value(EtcdMetrics.DCS_LAST_LEADER_VACANCY_SECONDS.name(), "scope", SCOPE)).isPresent();
  }

  /** Scrapes back to back until {@code holder} holds the key and the change is counted. */
  private static Seen firstScrapeShowing(TestCluster cluster, String holder, double changes)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    int n = 0;
    while (System.nanoTime() < deadline) {
      ExporterScrape s = scrape(cluster);
      long at = System.nanoTime();
      n++;
      if (s.value(EtcdMetrics.DCS_LEADER.name(), "member", holder, "scope", SCOPE).orElse(0) == 1.0
          && s.sumOf(EtcdMetrics.DCS_LEADER_CHANGES.name(), "scope", SCOPE) >= changes) {
        return new Seen(s, at, n);
      }
      Thread.sleep(10);
    }
    throw new AssertionError("exporter-etcd never showed " + holder + " as the leader in " + WAIT);
  }
}
