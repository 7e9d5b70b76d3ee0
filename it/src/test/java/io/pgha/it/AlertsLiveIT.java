package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.lab.alerts.NotificationLog;
import io.pgha.lab.alerts.NotifiedAlert;
import io.pgha.lab.alerts.PrometheusAlert;
import io.pgha.lab.client.Http;
import io.pgha.lab.client.PrometheusApi;
import io.pgha.lab.status.ClusterState;
import io.pgha.patroni.api.PatroniCluster;
import io.pgha.testkit.Pause;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults delivered end to end: Prometheus evaluates the rules of alerts/rules, Alertmanager routes
 * to the pgha receiver, and the notification lands in notifications.jsonl. Prints (and appends to
 * target/pgha-it/alert-times.tsv) how long each took from the fault.
 *
 * <p>Runs second (@Order(2)), right after DrillsIT. PghaPatroniFailover carries each change's own
 * labels (from, to, kind), so the notification of this test's change is told apart from the drills'
 * still firing ones without waiting for them to resolve. The failover test goes before the quorum
 * test, whose recovery may move the leader too.
 */
@PghaCluster.Test
@Order(2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertsLiveIT {
  /** Generous: the machine is shared. Expected about 18 s (failover) and 40 s (quorum, `for: 30s`). */
  private static final Duration NOTIFICATION_BOUND = Duration.ofMinutes(3);
  /** An earlier PghaEtcdQuorumLost (a drill's) resolving: its for, Alertmanager's group interval and margin. */
  private static final Duration QUIET_BOUND = Duration.ofMinutes(12);

  @Test
  @Order(1)
  void killingTheLeaderNotifiesPghaPatroniFailover(TestCluster cluster) throws Exception {
    cluster.awaitHealthy(Duration.ofSeconds(60));
    String leader = leader(cluster.state()).orElseThrow();

    try (NotificationWatch watch = NotificationWatch.start(cluster)) {
      long faultAt = System.currentTimeMillis();
      String newLeader;
      long newLeaderAt;
      NotificationWatch.Seen firing;
      try {
        cluster.killPatroni(leader);
        newLeader = awaitLeaderOtherThan(cluster, leader);
        newLeaderAt = System.currentTimeMillis();
        String to = newLeader;
        firing = watch.await("firing PghaPatroniFailover from " + leader + " to " + newLeader,
            a -> a.alertname().equals("PghaPatroniFailover") && a.status().equals("firing")
                && leader.equals(a.labels().get("from")) && to.equals(a.labels().get("to")), NOTIFICATION_BOUND);
      } finally {
        cluster.heal();
      }
      NotifiedAlert alert = firing.alert();
      figures("failover", "leader " + leader + " SIGKILLed (Patroni and postmaster)",
          "new leader " + newLeader, newLeaderAt - faultAt,
          "PghaPatroniFailover firing in Prometheus (startsAt)", alert.startsAt().toEpochMilli() - faultAt,
          "firing notification", firing.seenAtMillis() - faultAt);

      assertThat(firing.notification().receiver()).isEqualTo("pgha");
      assertThat(firing.notification().groupLabels())
          .containsEntry("alertname", "PghaPatroniFailover").containsEntry("scope", "pgha");
      assertThat(alert.labels()).containsEntry("severity", "warning").containsEntry("scope", "pgha");
      assertThat(alert.startsAt()).isAfter(Instant.ofEpochMilli(faultAt));
      assertThat(alert.labels()).containsEntry("kind", "expired");
      assertThat(alert.annotations().get("description")).contains(newLeader + " took the leader key");
      assertThat(alert.annotations()).containsEntry("runbook_url", "docs/runbooks/PghaPatroniFailover.md");
    }
    cluster.awaitHealthy(Duration.ofSeconds(60));
  }

  @Test
  @Order(2)
  void stoppingTwoEtcdMembersNotifiesPghaEtcdQuorumLostThenItsResolution(TestCluster cluster)
      throws Exception {
    cluster.awaitHealthy(Duration.ofSeconds(60));
    awaitQuiet(cluster, "PghaEtcdQuorumLost");
    // The followers: an etcd leader whose peers are gone takes 7-9 s to stop.
    List<String> followers = cluster.state().etcd().stream().filter(e -> !e.leader())
        .map(ClusterState.EtcdView::name).toList();
    assertThat(followers).hasSize(2);

    try (NotificationWatch watch = NotificationWatch.start(cluster)) {
      long faultAt;
      long stoppedAt;
      long healAt;
      long healedAt;
      NotificationWatch.Seen firing;
      try {
        cluster.stopEtcd(followers.get(0));
        faultAt = System.currentTimeMillis(); // the quorum goes with the second member
        cluster.stopEtcd(followers.get(1));
        stoppedAt = System.currentTimeMillis();
        firing = watch.await("PghaEtcdQuorumLost", "firing", NOTIFICATION_BOUND);
      } finally {
        healAt = System.currentTimeMillis();
        cluster.heal();
        healedAt = System.currentTimeMillis();
      }
      NotificationWatch.Seen resolved = watch.await("PghaEtcdQuorumLost", "resolved", NOTIFICATION_BOUND);
      figures("etcd-quorum", "etcd members " + followers + " stopped (SIGTERM)",
          "second member exited", stoppedAt - faultAt,
          "PghaEtcdQuorumLost firing in Prometheus (startsAt, after its for: 30s)", firing.alert().startsAt().toEpochMilli() - faultAt,
          "firing notification", firing.seenAtMillis() - faultAt);
      figures("etcd-quorum", "heal (pgha up restarts " + followers + ")",
          "pgha up returned", healedAt - healAt,
          "fault to resolved notification", resolved.seenAtMillis() - faultAt,
          "resolved notification", resolved.seenAtMillis() - healAt);

      NotifiedAlert alert = firing.alert();
      assertThat(firing.notification().groupLabels()).containsEntry("alertname", "PghaEtcdQuorumLost");
      assertThat(alert.labels()).containsEntry("severity", "critical").containsEntry("job", "pgha-dcs");
      // "Healthy" is a quorum read through the member: none succeeds without quorum, though one
      // member answers. 3 members and the quorum of 2 come from the template's own queries.
      assertThat(alert.annotations().get("description"))
          .contains("only 0 of 3 are healthy, below the quorum of 2");
      assertThat(resolved.alert().labels()).isEqualTo(alert.labels());
      assertThat(resolved.alert().endsAt()).hasValueSatisfying(end -> assertThat(end).isAfter(alert.startsAt()));
      assertThat(resolved.seenAtMillis()).isGreaterThan(healAt);
    }
    cluster.awaitHealthy(Duration.ofSeconds(60));
  }

  private static Optional<String> leader(ClusterState state) {
    List<String> leaders = state.members().orElse(List.of()).stream()
        .filter(PatroniCluster.Member::leader).map(PatroniCluster.Member::name).toList();
    return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
  }

  private static String awaitLeaderOtherThan(TestCluster cluster, String old) {
    long deadline = System.nanoTime() + NOTIFICATION_BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> l = leader(cluster.state());
      if (l.isPresent() && !l.get().equals(old)) {
        return l.get();
      }
      Pause.millis(200);
    }
    throw new AssertionError("no new leader within " + NOTIFICATION_BOUND + " after killing " + old);
  }

  /**
   * Waits until a new firing of {@code alertname} would be notified: Prometheus has it neither
   * pending nor firing, and the receiver's last word on it (if any) was "resolved".
   */
  private static void awaitQuiet(TestCluster cluster, String alertname) throws Exception {
    PrometheusApi prometheus = new PrometheusApi(new Http(Duration.ofSeconds(10)));
    String url = cluster.topology().prometheus().url();
    Path file = cluster.workdir().resolve("alerts").resolve("notifications.jsonl");
    long start = System.currentTimeMillis();
    long deadline = System.nanoTime() + QUIET_BOUND.toNanos();
    while (true) {
      boolean active = prometheus.alerts(url).stream().map(PrometheusAlert::alertname).anyMatch(alertname::equals);
      Optional<NotifiedAlert> last = NotificationLog.read(file).notifications().stream()
          .flatMap(n -> n.alerts().stream()).filter(a -> a.alertname().equals(alertname))
          .reduce((a, b) -> b);
      if (!active && last.map(a -> a.status().equals("resolved")).orElse(true)) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(alertname + " still active after " + QUIET_BOUND + " (Prometheus: "
            + active + ", last notification: " + last + ")");
      }
      Pause.millis(1000);
    }
    long waited = System.currentTimeMillis() - start;
    if (waited > 1000) {
      System.out.printf("AlertsLiveIT: waited %.1f s for an earlier %s to resolve%n", waited / 1000.0,
          alertname);
    }
  }

  /** Prints one line of figures (label, milliseconds pairs) and appends it to alert-times.tsv. */
  private static void figures(String drill, String what, Object... pairs) throws IOException {
    AlertTimes.record("AlertsLiveIT", drill, what, pairs);
  }
}
