package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgha.lab.alerts.NotifiedAlert;
import io.pgha.lab.client.Http;
import io.pgha.lab.client.PatroniApi;
import io.pgha.lab.deploy.Secrets;
import io.pgha.testkit.Pause;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL failures of alerts/rules/postgres_health.yml caused for real on the test cluster,
 * at the same time (they touch different members or different settings), each alert reaching the
 * pgha receiver: archive_command failing on the leader, a session idle in transaction there, a
 * replica crowded with connections near the limit, replay paused on the other replica, and a
 * replication slot lost on the leader. The rules' thresholds and {@code for} are lowered by a
 * {@link TestRuleFile}; the metrics are the exporter's own.
 *
 * <p>Patroni (14+) resumes a paused replay at its next loop unless the cluster is in maintenance
 * mode, and drops a permanent slot only outside it: the test pauses the cluster around the paused
 * replay, and creates the slot before. Every change is undone in a finally block, in reverse order:
 * configuration, maintenance mode, sessions, replay, the slot; the test waits until the archiver
 * has caught up and the slot is gone, so the cluster is as it found it.
 */
@PghaCluster.Test
class PostgresHealthAlertsIT {
  private static final Duration NOTIFICATION_BOUND = Duration.ofMinutes(3);
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final String RULES = "postgres-health";
  private static final String SLOT = "pgha_it_lost";
  private static final String FAILING_ARCHIVE_COMMAND = "/bin/false";
  /** Patroni refuses a wal_keep_size below 16MB (it falls back to 128MB). */
  private static final String SMALL_WAL = "16MB";

  @Test
  void archivingIdleTransactionConnectionsPausedReplayAndALostSlotEachReachTheReceiver(TestCluster cluster)
      throws Exception {
    long started = System.currentTimeMillis();
    cluster.awaitHealthy(Duration.ofSeconds(60));
    String leader = ClusterTraffic.leader(cluster);
    List<String> replicas = ClusterTraffic.replicas(cluster, leader);
    String crowded = replicas.get(0);
    String paused = replicas.get(1);
    PatroniApi patroni = new PatroniApi(new Http());
    String auth = Secrets.PATRONI_REST + ":" + cluster.password(Secrets.PATRONI_REST);
    JsonNode before = patroni.config(cluster.topology()).orElseThrow();
    assertThat(before.path("pause").asBoolean(false)).as("maintenance mode before the test").isFalse();
    JsonNode parameters = before.path("postgresql").path("parameters");

    Undo undo = new Undo();
    Map<String, Long> faultAt = new LinkedHashMap<>();
    Map<String, NotificationWatch.Seen> seen = new LinkedHashMap<>();
    try (TestRuleFile rules = TestRuleFile.named(RULES)
            .copy("PghaPostgresArchivingFailing", "10s")
            .copy("PghaPostgresIdleInTransaction", "10s", ") > 300", ") > 5")
            .copy("PghaPostgresConnectionsNearLimit", "10s")
            .copy("PghaPostgresReplayPaused", "10s")
            .copy("PghaPostgresReplicationSlotLost", "10s")
            .install(cluster);
         NotificationWatch watch = NotificationWatch.start(cluster);
         Connection primary = cluster.connectMember(leader, Secrets.SUPERUSER)) {
      long rulesAt = System.currentTimeMillis();

      // Configuration first: Patroni applies parameters in maintenance mode, but slots only outside it.
      undo.push("configuration", () -> patroni.patchConfig(cluster.topology(), restore(before), auth));
      patroni.patchConfig(cluster.topology(), """
          {"postgresql": {"parameters": {"archive_command": "%s", "wal_keep_size": "%s",
            "max_slot_wal_keep_size": "%s"}},
           "slots": {"%s": {"type": "physical"}}}""".formatted(FAILING_ARCHIVE_COMMAND, SMALL_WAL, SMALL_WAL, SLOT),
          auth);
      await("the failing archive_command, small WAL limits and slot " + SLOT + " on " + leader, () ->
          text(primary, "SELECT current_setting('archive_command') || ' ' || current_setting('wal_keep_size')"
              + " || ' ' || current_setting('max_slot_wal_keep_size') || ' ' || (SELECT count(*) FROM"
              + " pg_replication_slots WHERE slot_name = '" + SLOT + "' AND restart_lsn IS NOT NULL)")
              .equals(FAILING_ARCHIVE_COMMAND + " " + SMALL_WAL + " " + SMALL_WAL + " 1"));
      faultAt.put("PghaPostgresArchivingFailing", System.currentTimeMillis());
      text(primary, "SELECT pg_logical_emit_message(false, 'pgha-it', 'archive this')::text");
      text(primary, "SELECT pg_switch_wal()::text");

      undo.push("maintenance mode", () -> patroni.patchConfig(cluster.topology(), "{\"pause\": false}", auth));
      patroni.patchConfig(cluster.topology(), "{\"pause\": true}", auth);
      await("Patroni in maintenance mode", () -> patroni.cluster(cluster.topology()).map(c -> c.paused()).orElse(false));

      Connection idle = cluster.connectMember(leader, Secrets.APP);
      undo.push("the session idle in transaction", idle::close);
      idle.setAutoCommit(false);
      faultAt.put("PghaPostgresIdleInTransaction", System.currentTimeMillis());
      text(idle, "SELECT txid_current()::text");

      List<Connection> crowd = crowd(cluster, crowded, undo);
      faultAt.put("PghaPostgresConnectionsNearLimit", System.currentTimeMillis());

      try (Connection replica = cluster.connectMember(paused, Secrets.SUPERUSER)) {
        undo.push("replay on " + paused, () -> {
          try (Connection c = cluster.connectMember(paused, Secrets.SUPERUSER)) {
            text(c, "SELECT pg_wal_replay_resume()::text");
          }
        });
        faultAt.put("PghaPostgresReplayPaused", System.currentTimeMillis());
        pauseReplay(replica);
      }

      faultAt.put("PghaPostgresReplicationSlotLost", System.currentTimeMillis());
      loseSlot(primary);

      Map<String, String> memberOf = Map.of("PghaPostgresArchivingFailing", leader,
          "PghaPostgresIdleInTransaction", leader, "PghaPostgresConnectionsNearLimit", crowded,
          "PghaPostgresReplayPaused", paused, "PghaPostgresReplicationSlotLost", leader);
      for (String alert : faultAt.keySet()) {
        NotificationWatch.Seen s = watch.await("firing " + alert + " of " + RULES + " for " + memberOf.get(alert),
            a -> a.alertname().equals(alert) && a.status().equals("firing")
                && RULES.equals(a.labels().get(TestRuleFile.LABEL))
                && memberOf.get(alert).equals(a.labels().get("member")),
            NOTIFICATION_BOUND);
        seen.put(alert, s);
        if (alert.equals("PghaPostgresConnectionsNearLimit")) {
          closeAll(crowd); // no need to hold 90 connections while the others arrive
        }
      }
      System.out.printf("PostgresHealthAlertsIT: test rules %s loaded after %.1f s%n", rules.group(),
          (rulesAt - started) / 1000.0);
      seen.forEach((alert, s) -> System.out.printf("PostgresHealthAlertsIT: %s (member %s) at the receiver %.1f s"
          + " after its fault (firing in Prometheus since %.1f s)%n", alert, s.alert().labels().get("member"),
          (s.seenAtMillis() - faultAt.get(alert)) / 1000.0,
          (s.alert().startsAt().toEpochMilli() - faultAt.get(alert)) / 1000.0));
    } finally {
      undo.run();
      settle(cluster, leader);
    }
    System.out.printf("PostgresHealthAlertsIT: the whole test took %.1f s%n", (System.currentTimeMillis() - started) / 1000.0);

    for (Map.Entry<String, NotificationWatch.Seen> e : seen.entrySet()) {
      NotifiedAlert alert = e.getValue().alert();
      assertThat(e.getValue().notification().receiver()).isEqualTo("pgha");
      assertThat(alert.labels()).containsEntry("scope", cluster.topology().scope())
          .containsKey("severity");
      assertThat(alert.annotations()).containsEntry("runbook_url", "docs/runbooks/" + e.getKey() + ".md");
    }
    assertThat(seen.get("PghaPostgresArchivingFailing").alert().labels()).containsEntry("reason", "failing");
    assertThat(seen.get("PghaPostgresReplicationSlotLost").alert().labels()).containsEntry("slot_name", SLOT);
    assertThat(seen.get("PghaPostgresConnectionsNearLimit").alert().annotations().get("summary"))
        .matches("Member " + seen.get("PghaPostgresConnectionsNearLimit").alert().labels().get("member")
            + " uses 9\\d(\\.\\d+)?% of its usable connections");
  }

  /** The original values of what the test changes; null removes what was not set. */
  private static String restore(JsonNode before) {
    ObjectNode patch = Http.JSON.createObjectNode();
    ObjectNode params = patch.putObject("postgresql").putObject("parameters");
    JsonNode original = before.path("postgresql").path("parameters");
    for (String p : List.of("archive_command", "wal_keep_size", "max_slot_wal_keep_size")) {
      if (original.has(p)) {
        params.set(p, original.get(p));
      } else {
        params.putNull(p);
      }
    }
    if (before.has("slots")) {
      patch.set("slots", before.get("slots"));
    } else {
      patch.putNull("slots");
    }
    return patch.toString();
  }

  /**
   * Opens connections as {@code app} to {@code member} until its client backends fill 93% of
   * what ordinary roles may use (90% fires the alert), leaving a few slots free so the exporter
   * and Patroni are never refused.
   */
  private static List<Connection> crowd(TestCluster cluster, String member, Undo undo) throws Exception {
    int open;
    int target;
    try (Connection c = cluster.connectMember(member, Secrets.SUPERUSER)) {
      open = Integer.parseInt(text(c, "SELECT count(*)::text FROM pg_stat_activity WHERE backend_type = 'client backend'"));
      int usable = Integer.parseInt(text(c, "SELECT (current_setting('max_connections')::int"
          + " - current_setting('superuser_reserved_connections')::int"
          + " - coalesce(current_setting('reserved_connections', true)::int, 0))::text"));
      target = (int) Math.ceil(0.93 * usable);
    }
    // The superuser connection above is closed again: it counted, so open one more.
    int more = target - open + 1;
    List<Connection> crowd = new ArrayList<>();
    undo.push("the " + more + " connections to " + member, () -> closeAll(crowd));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Connection>> opening = new ArrayList<>();
      for (int i = 0; i < more; i++) {
        opening.add(pool.submit(() -> cluster.connectMember(member, Secrets.APP)));
      }
      for (Future<Connection> f : opening) {
        Connection c = f.get();
        synchronized (crowd) {
          crowd.add(c);
        }
      }
    } finally {
      pool.shutdown();
    }
    System.out.printf("PostgresHealthAlertsIT: %d client connections to %s (%d opened by the test)%n",
        open - 1 + more, member, more);
    return crowd;
  }

  private static void closeAll(List<Connection> connections) {
    synchronized (connections) {
      for (Connection c : connections) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // closing anyway
        }
      }
      connections.clear();
    }
  }

  /** Pauses replay until it stays paused: Patroni may resume it once more before it sees maintenance mode. */
  private static void pauseReplay(Connection replica) throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (System.nanoTime() < deadline) {
      text(replica, "SELECT pg_wal_replay_pause()::text");
      Pause.millis(3000);
      if (!text(replica, "SELECT pg_get_wal_replay_pause_state()").equals("not paused")) {
        return;
      }
    }
    throw new AssertionError("replay did not stay paused within " + SETTLE);
  }

  /**
   * Writes WAL segment by segment (a record, then a switch) and checkpoints until slot
   * {@link #SLOT}, which nobody consumes, has lost WAL it needs: with wal_keep_size and
   * max_slot_wal_keep_size at 16MB that takes a few segments and two checkpoints. Before the next
   * segment every active slot must have caught up, so no member's own slot is ever lost.
   */
  private static void loseSlot(Connection primary) throws Exception {
    for (int segment = 1; segment <= 12; segment++) {
      text(primary, "SELECT pg_logical_emit_message(false, 'pgha-it', 'lose a slot')::text");
      String switched = text(primary, "SELECT pg_switch_wal()::text");
      await("the members' slots at " + switched, () -> text(primary, "SELECT coalesce(bool_and(restart_lsn >= '"
          + switched + "'), true)::text FROM pg_replication_slots WHERE active").equals("true"));
      if (segment % 3 == 0) {
        try (Statement checkpoint = primary.createStatement()) {
          checkpoint.execute("CHECKPOINT");
        }
        if (text(primary, "SELECT coalesce(wal_status, '') FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'")
            .equals("lost")) {
          return;
        }
      }
    }
    throw new AssertionError("slot " + SLOT + " not lost after 12 WAL segments");
  }

  /** After the undo: the slot is gone and the archiver has archived what waited, on a healthy cluster. */
  private static void settle(TestCluster cluster, String leader) throws Exception {
    try (Connection primary = cluster.connectMember(leader, Secrets.SUPERUSER)) {
      await("slot " + SLOT + " dropped by Patroni", () -> text(primary,
          "SELECT count(*)::text FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'").equals("0"));
      await("the archiver caught up on " + leader, () -> text(primary, "SELECT ((SELECT count(*) FROM"
          + " pg_ls_archive_statusdir() WHERE name LIKE '%.ready') = 0 AND coalesce(last_failed_time"
          + " < last_archived_time, true))::text FROM pg_stat_archiver").equals("true"));
    }
    cluster.awaitHealthy(SETTLE);
  }

  private static String text(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return Objects.toString(rs.getString(1), "");
    }
  }

  @FunctionalInterface
  private interface Check {
    boolean ok() throws Exception;
  }

  private static void await(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within " + SETTLE);
      }
      Pause.millis(250);
    }
  }

  /** What the test changed, undone newest first, each step on its own so one failure does not skip the rest. */
  private static final class Undo {
    @FunctionalInterface
    interface Step {
      void run() throws Exception;
    }

    private final Deque<Map.Entry<String, Step>> steps = new ArrayDeque<>();

    void push(String what, Step step) {
      steps.push(Map.entry(what, step));
    }

    void run() {
      List<String> failed = new ArrayList<>();
      while (!steps.isEmpty()) {
        Map.Entry<String, Step> step = steps.pop();
        try {
          step.getValue().run();
        } catch (Exception | AssertionError e) {
          failed.add(step.getKey() + ": " + e);
        }
      }
      if (!failed.isEmpty()) {
        throw new AssertionError("could not undo " + failed);
      }
    }
  }
}
