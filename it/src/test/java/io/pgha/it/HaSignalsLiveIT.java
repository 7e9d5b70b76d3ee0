package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.lab.client.EtcdApi;
import io.pgha.lab.client.HaproxyRuntime;
import io.pgha.lab.client.HaproxyStats;
import io.pgha.lab.client.Http;
import io.pgha.lab.client.PatroniApi;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.faults.ClusterFaults;
import io.pgha.lab.topology.Topology;
import io.pgha.patroni.api.PatroniCluster;
import io.pgha.testkit.LivePrometheus;
import io.pgha.testkit.Pause;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The alerts of issue 15 caused for real on the test cluster and delivered to the pgha receiver,
 * their thresholds and {@code for} lowered by a {@link TestRuleFile} (label
 * {@value TestRuleFile#LABEL}), never by faking a metric. The faults
 * overlap so the waits do:
 *
 * <ol>
 *   <li>a Patroni switchover (PghaPatroniLeaderFlapping) while the third member's WAL receiver is
 *       frozen, so it stays on the old timeline (PghaPatroniTimelineDiverged) and no longer streams
 *       while HAProxy still sends it reads (PghaHaproxyReadsToNonReplica); etcd's database
 *       filled with a few MiB under a test prefix past a threshold set a little above its size
 *       before (PghaEtcdDatabaseNearQuota); the disk
 *       predictors fire on the real disk latencies against lowered thresholds (PghaEtcdSlowFsync,
 *       PghaEtcdSlowCommit);
 *   <li>then, on the new roles: the old leader cannot start (a parameter its PostgreSQL refuses:
 *       PghaPatroniMemberStuck), the frozen replica falls behind while the leader writes, with
 *       {@code maximum_lag_on_failover} lowered to 64 KiB through {@code PATCH /config}
 *       (PghaPatroniNoFailoverCandidate, naming each member's reason), and HAProxy's checks are
 *       switched off through its runtime API with a replica forced UP for writes
 *       (PghaHaproxyWritesNotToLeader); etcd's leadership moved (PghaEtcdFrequentLeaderChanges);
 *   <li>the frozen receiver resumes: the replica follows the new timeline and catches up, and
 *       PghaPatroniNoFailoverCandidate and PghaPatroniTimelineDiverged resolve;
 *   <li>synchronous mode on, then the synchronous standby stopped: PghaPatroniSyncStandbyMissing.
 * </ol>
 *
 * Everything is put back in finally blocks (configuration, receiver, HAProxy, the member's
 * configuration, the stopped member). PghaPatroniDcsUnreachable is caused in PostgresHealthAlertsIT
 * (a replica cut off from etcd).
 */
@PghaCluster.Test
class HaSignalsLiveIT {
  private static final String FILE = "ha-signals";
  /** Generous: the machine is shared. Expected 15-70 s per alert. */
  private static final Duration BOUND = Duration.ofMinutes(3);
  private static final long LOWERED_MAX_LAG = 65_536;
  /** Keys the test fills etcd with, outside Patroni's namespace; deleted afterwards. */
  private static final String FILL_PREFIX = "/pgha-it/fill/";
  private static final int FILL_VALUES = 8;
  private static final int FILL_VALUE_BYTES = 768 * 1024;
  /** The quota threshold sits this far above the largest member's database before the fill (6 MiB). */
  private static final long FILL_MARGIN = 2L * 1024 * 1024;
  private static final String ETCD = "{job=~\".*etcd.*\"}";

  @Test
  @SuppressWarnings("try") // the rule file is loaded for the whole block, never read in it
  void failoverReadinessRoutingAndEtcdPredictorsReachTheReceiver(TestCluster cluster) throws Exception {
    long started = System.currentTimeMillis();
    cluster.awaitHealthy(Duration.ofSeconds(90));
    Topology t = cluster.topology();
    String scope = t.scope();
    PatroniApi patroni = new PatroniApi(new Http());
    String auth = Secrets.PATRONI_REST + ":" + cluster.password(Secrets.PATRONI_REST);
    JsonNode configBefore = patroni.config(t).orElseThrow();
    long maxLagBefore = configBefore.path("maximum_lag_on_failover").asLong(1_048_576);
    boolean syncBefore = configBefore.path("synchronous_mode").asBoolean(false);
    String quotaPercent = quotaPercentAboveToday(cluster);
    Map<String, String> mine = Map.of(TestRuleFile.LABEL, FILE);
    Map<String, String> mineInScope = Map.of(TestRuleFile.LABEL, FILE, "scope", scope);

    Map<String, NotificationWatch.Seen> fired = new LinkedHashMap<>();
    Map<String, Long> faultAt = new HashMap<>();
    NotificationWatch.Seen resolved;
    NotificationWatch.Seen timelineResolved;
    String leader;
    String lagging;
    String stuck;
    try (NotificationWatch watch = NotificationWatch.start(cluster);
         TestRuleFile rules = lowered(quotaPercent).install(cluster)) {
      Deque<ClusterFaults.Undo> undo = new ArrayDeque<>();
      try {
        // 1. Leader changes, in Patroni and in etcd; the etcd predictors need nothing but the rules.
        String leaderBefore = leader(patroni, t);
        List<String> others = t.members().stream().map(Topology.Member::name).filter(m -> !m.equals(leaderBefore)).toList();
        leader = others.get(0);
        // The member outside the switchover will lag in step 2; its WAL receiver is frozen from here on.
        lagging = others.get(1);
        stuck = leaderBefore;
        long rulesAt = System.currentTimeMillis();
        faultAt.put("PghaEtcdSlowFsync", rulesAt);
        faultAt.put("PghaEtcdSlowCommit", rulesAt);
        EtcdApi etcd = new EtcdApi(new Http());
        Topology.EtcdMember anyEtcd = t.etcd().get(0);
        undo.push(() -> etcd.deletePrefix(anyEtcd, FILL_PREFIX));
        faultAt.put("PghaEtcdDatabaseNearQuota", System.currentTimeMillis());
        byte[] value = new byte[FILL_VALUE_BYTES];
        for (int i = 0; i < FILL_VALUES; i++) {
          etcd.put(anyEtcd, FILL_PREFIX + i, value);
        }
        // A replica whose WAL receiver is frozen across the switchover stays on the old timeline
        // (PghaPatroniTimelineDiverged) without any harm: behind the switch point, it follows the
        // new timeline as soon as it receives again (step 3), no pg_rewind needed.
        awaitStreaming(cluster, leaderBefore, lagging);
        ClusterFaults.Undo frozen = cluster.freezeWalReceiver(lagging);
        undo.push(frozen);
        endWalSender(cluster, leaderBefore, lagging);
        faultAt.put("PghaPatroniLeaderFlapping", System.currentTimeMillis());
        faultAt.put("PghaPatroniTimelineDiverged", System.currentTimeMillis());
        // Once the new leader is known, its Patroni reloads the frozen replica's primary_conninfo:
        // PostgreSQL asks the receiver to stop, so the replica no longer streams, yet HAProxy's
        // checks (role replica, running) keep it in the read backend.
        faultAt.put("PghaHaproxyReadsToNonReplica", System.currentTimeMillis());
        TestCluster.CliResult switched = cluster.pgha("switchover", "--candidate", leader);
        assertThat(switched.exitCode()).as(switched.output()).isZero();
        cluster.awaitHealthy(Duration.ofSeconds(90));

        // 2. On the new roles: the old leader stuck, the frozen replica lagging, HAProxy's checks forced.
        faultAt.put("PghaPatroniMemberStuck", System.currentTimeMillis());
        undo.push(cluster.failStart(stuck));
        faultAt.put("PghaPatroniNoFailoverCandidate", System.currentTimeMillis());
        undo.push(() -> patroni.patchConfig(t, "{\"maximum_lag_on_failover\": " + maxLagBefore + "}", auth));
        patroni.patchConfig(t, "{\"maximum_lag_on_failover\": " + LOWERED_MAX_LAG + "}", auth);
        writeWal(cluster, leader);
        HaproxyRuntime haproxy = cluster.haproxyRuntime();
        faultAt.put("PghaHaproxyWritesNotToLeader", System.currentTimeMillis());
        undo.push(() -> enableHealth(haproxy, HaproxyStats.WRITE, lagging));
        haproxy.forceUp(HaproxyStats.WRITE, lagging);
        // etcd's leadership moved last: the rule's [15m:1m] subquery must hold a point from before
        // the move, which a cluster younger than a minute may not have yet.
        awaitLeaderChangesHistory(cluster);
        String etcdLeader = etcd.leaderName(t.etcd()).orElseThrow();
        String etcdTarget = t.etcd().stream().map(Topology.EtcdMember::name).filter(n -> !n.equals(etcdLeader))
            .findFirst().orElseThrow();
        faultAt.put("PghaEtcdFrequentLeaderChanges", System.currentTimeMillis());
        etcd.moveLeader(t.etcdMember(etcdLeader), etcdTarget);

        fired.put("PghaPatroniNoFailoverCandidate", watch.await("PghaPatroniNoFailoverCandidate", "firing", mineInScope, BOUND));
        fired.put("PghaPatroniMemberStuck", watch.await("PghaPatroniMemberStuck", "firing",
            Map.of(TestRuleFile.LABEL, FILE, "member", stuck), BOUND));
        fired.put("PghaHaproxyWritesNotToLeader", watch.await("PghaHaproxyWritesNotToLeader", "firing", mineInScope, BOUND));
        fired.put("PghaHaproxyReadsToNonReplica", watch.await("PghaHaproxyReadsToNonReplica", "firing", mineInScope, BOUND));
        fired.put("PghaPatroniTimelineDiverged", watch.await("PghaPatroniTimelineDiverged", "firing",
            Map.of(TestRuleFile.LABEL, FILE, "member", lagging), BOUND));

        // 3. The receiver resumes: the lagging replica follows the new timeline, catches up and is a candidate again.
        long thawAt = System.currentTimeMillis();
        faultAt.put("resolved", thawAt);
        frozen.close();
        resolved = watch.await("PghaPatroniNoFailoverCandidate", "resolved", mineInScope, BOUND);
        timelineResolved = watch.await("PghaPatroniTimelineDiverged", "resolved",
            Map.of(TestRuleFile.LABEL, FILE, "member", lagging), BOUND);

        // 4. Synchronous mode with the only possible synchronous standby stopped.
        undo.push(() -> patroni.patchConfig(t, "{\"synchronous_mode\": " + syncBefore + "}", auth));
        patroni.patchConfig(t, "{\"synchronous_mode\": true}", auth);
        awaitRole(patroni, t, lagging, "sync_standby");
        faultAt.put("PghaPatroniSyncStandbyMissing", System.currentTimeMillis());
        cluster.stopPatroni(lagging);
        fired.put("PghaPatroniSyncStandbyMissing", watch.await("PghaPatroniSyncStandbyMissing", "firing", mineInScope, BOUND));

        fired.put("PghaPatroniLeaderFlapping", watch.await("PghaPatroniLeaderFlapping", "firing", mineInScope, BOUND));
        for (String alert : List.of("PghaEtcdDatabaseNearQuota", "PghaEtcdSlowFsync", "PghaEtcdSlowCommit",
            "PghaEtcdFrequentLeaderChanges")) {
          fired.put(alert, watch.await(alert, "firing", mine, BOUND));
        }
      } finally {
        // Each step on its own: one that fails must not leave the later ones undone (awaitHealthy
        // below fails if the cluster stays broken).
        while (!undo.isEmpty()) {
          try {
            undo.pop().close();
          } catch (RuntimeException e) {
            System.err.println("HaSignalsLiveIT: an undo step failed: " + e);
          }
        }
        dropWalTable(cluster);
        cluster.heal();
      }
    }
    cluster.awaitHealthy(Duration.ofSeconds(90));

    // What arrived, and how soon after its fault.
    for (Map.Entry<String, NotificationWatch.Seen> e : fired.entrySet()) {
      NotificationWatch.Seen s = e.getValue();
      assertThat(s.notification().receiver()).isEqualTo("pgha");
      assertThat(s.notification().groupLabels()).containsEntry("alertname", e.getKey());
      assertThat(s.alert().annotations()).containsEntry("runbook_url", "docs/runbooks/" + e.getKey() + ".md");
      AlertTimes.record("HaSignalsLiveIT", e.getKey(), "firing notification",
          "after its fault", s.seenAtMillis() - faultAt.get(e.getKey()));
    }
    AlertTimes.record("HaSignalsLiveIT", "PghaPatroniNoFailoverCandidate", "resolved notification",
        "after the WAL receiver resumed", resolved.seenAtMillis() - faultAt.get("resolved"));
    AlertTimes.record("HaSignalsLiveIT", "PghaPatroniTimelineDiverged", "resolved notification",
        "after the WAL receiver resumed", timelineResolved.seenAtMillis() - faultAt.get("resolved"));

    assertThat(fired.get("PghaPatroniNoFailoverCandidate").alert().annotations().get("description"))
        .contains(leader + " leader", lagging + " lagging", stuck + " not_running", "maximum_lag_on_failover 64kiB");
    assertThat(fired.get("PghaPatroniNoFailoverCandidate").alert().labels()).containsEntry("severity", "critical");
    assertThat(fired.get("PghaPatroniMemberStuck").alert().annotations().get("description"))
        .containsPattern("its state now is (start_failed|starting|restart_failed|stopped)\\.");
    assertThat(fired.get("PghaHaproxyWritesNotToLeader").alert().annotations().get("description"))
        .contains("UP is " + String.join(", ", List.of(leader, lagging).stream().sorted().toList()) + ",",
            "the leader is " + leader + ".");
    // The old leader may be listed too: HAProxy keeps it UP for reads until its checks see it stuck.
    assertThat(fired.get("PghaHaproxyReadsToNonReplica").alert().annotations().get("description"))
        .containsPattern("not streaming replicas: ([^.]+, )?" + lagging + "(, [^.]+)?\\.");
    assertThat(fired.get("PghaPatroniSyncStandbyMissing").alert().labels()).containsEntry("severity", "warning");
    assertThat(resolved.alert().labels()).isEqualTo(fired.get("PghaPatroniNoFailoverCandidate").alert().labels());
    assertThat(fired.get("PghaPatroniTimelineDiverged").alert().annotations().get("description"))
        .containsPattern("has been on timeline (\\d+) while its leader is on timeline (?!\\1\\b)\\d+");
    assertThat(timelineResolved.alert().labels()).isEqualTo(fired.get("PghaPatroniTimelineDiverged").alert().labels());
    System.out.printf("HaSignalsLiveIT: %d alerts delivered and two resolved; the test took %.1f s%n", fired.size(),
        (System.currentTimeMillis() - started) / 1000.0);
  }

  /** Waits until PghaEtcdFrequentLeaderChanges's subquery has a point (Prometheus evaluates it each minute). */
  private static void awaitLeaderChangesHistory(TestCluster cluster) {
    LivePrometheus prometheus = new LivePrometheus(cluster.topology().prometheus().url());
    String points = "count_over_time((max without (instance, member) (etcd_server_leader_changes_seen_total" + ETCD
        + "))[15m:1m])";
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!(prometheus.value(points) >= 1)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no point of " + points + " within " + BOUND);
      }
      Pause.millis(1000);
    }
  }

  /**
   * The quota threshold for the test, in percent as the rule compares it: {@link #FILL_MARGIN} above
   * the largest etcd database now, so only the fill crosses it.
   */
  private static String quotaPercentAboveToday(TestCluster cluster) {
    LivePrometheus prometheus = new LivePrometheus(cluster.topology().prometheus().url());
    double size = prometheus.value("max(etcd_mvcc_db_total_size_in_bytes" + ETCD + ")");
    double quota = prometheus.value("min(etcd_server_quota_backend_bytes" + ETCD + ")");
    String percent = String.format(Locale.ROOT, "%.6f", (size + FILL_MARGIN) / quota * 100);
    System.out.printf("HaSignalsLiveIT: etcd's largest database %.0f B of a %.0f B quota; the test threshold is %s %%%n",
        size, quota, percent);
    return percent;
  }

  /** The shipped rules this test causes, with a short for and (where a healthy cluster never reaches it) a low threshold. */
  private static TestRuleFile.Builder lowered(String quotaPercent) {
    return TestRuleFile.named(FILE)
        .copyOfSeverity("PghaPatroniNoFailoverCandidate", "critical", "10s")
        .copyOfSeverity("PghaPatroniSyncStandbyMissing", "warning", "10s")
        .copyOfSeverity("PghaPatroniMemberStuck", "warning", "15s")
        .copyOfSeverity("PghaPatroniTimelineDiverged", "warning", "10s")
        .copyOfSeverity("PghaPatroniLeaderFlapping", "warning", "5s", ">= 3", ">= 1")
        .copyOfSeverity("PghaHaproxyWritesNotToLeader", "critical", "10s")
        .copyOfSeverity("PghaHaproxyReadsToNonReplica", "warning", "10s")
        // A few MiB above the database's size before the test: the fill crosses it, nothing else does.
        .copyOfSeverity("PghaEtcdDatabaseNearQuota", "critical", "10s", "* 100 > 95", "* 100 > " + quotaPercent)
        // Real fsyncs and commits on this disk take about a millisecond.
        .copyOfSeverity("PghaEtcdSlowFsync", "warning", "10s", "[5m])) > 0.5", "[5m])) > 0.0001")
        .copyOfSeverity("PghaEtcdSlowCommit", "warning", "10s", "[5m])) > 0.25", "[5m])) > 0.0001")
        .copyOfSeverity("PghaEtcdFrequentLeaderChanges", "warning", "10s", ">= 4", ">= 1");
  }

  private static void enableHealth(HaproxyRuntime haproxy, String backend, String server) {
    try {
      haproxy.enableHealth(backend, server);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** About 600 kB of WAL on the leader, written to it directly (HAProxy's write port is being tampered with). */
  private static void writeWal(TestCluster cluster, String leader) throws Exception {
    try (Connection c = cluster.connectMember(leader, Secrets.SUPERUSER); Statement s = c.createStatement()) {
      s.execute("create table if not exists pgha_it_wal (x text)");
      s.execute("insert into pgha_it_wal select repeat('x', 1000) from generate_series(1, 500)");
    }
  }

  /** Waits until {@code member} streams from {@code leader}: it has a WAL receiver to freeze. */
  private static void awaitStreaming(TestCluster cluster, String leader, String member) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    try (Connection c = cluster.connectMember(leader, Secrets.SUPERUSER); Statement s = c.createStatement()) {
      while (true) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE application_name = '"
            + member + "' AND state = 'streaming'")) {
          rs.next();
          if (rs.getInt(1) == 1) {
            return;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(member + " does not stream from " + leader + " within 60 s");
        }
        Pause.millis(200);
      }
    }
  }

  /**
   * Ends the leader's WAL sender to {@code member}, whose receiver is frozen: a leader shutting down
   * waits until every standby confirmed its last WAL, which a frozen one never does (for up to
   * wal_sender_timeout, 60 s). The frozen receiver does not notice, so nothing reconnects.
   */
  private static void endWalSender(TestCluster cluster, String leader, String member) throws Exception {
    try (Connection c = cluster.connectMember(leader, Secrets.SUPERUSER); Statement s = c.createStatement()) {
      s.execute("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_replication WHERE application_name = '"
          + member + "'");
    }
  }

  private static void dropWalTable(TestCluster cluster) {
    try {
      String l = leader(new PatroniApi(new Http()), cluster.topology());
      try (Connection c = cluster.connectMember(l, Secrets.SUPERUSER); Statement s = c.createStatement()) {
        s.execute("drop table if exists pgha_it_wal");
      }
    } catch (Exception | AssertionError e) {
      System.err.println("HaSignalsLiveIT: could not drop pgha_it_wal: " + e);
    }
  }

  private static String leader(PatroniApi patroni, Topology t) {
    return patroni.runningLeader(t).orElseThrow(() -> new AssertionError("no single running leader"));
  }

  private static void awaitRole(PatroniApi patroni, Topology t, String member, String role) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> now = patroni.members(t).orElse(List.of()).stream().filter(m -> m.name().equals(member))
          .map(PatroniCluster.Member::role).findFirst();
      if (now.equals(Optional.of(role))) {
        return;
      }
      Pause.millis(200);
    }
    throw new AssertionError(member + " did not become " + role + " within 60 s");
  }
}
