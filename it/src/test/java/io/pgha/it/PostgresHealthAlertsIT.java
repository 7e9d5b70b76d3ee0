package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgha.lab.alerts.NotifiedAlert;
import io.pgha.lab.client.Http;
import io.pgha.lab.client.PatroniApi;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.faults.NetworkFaults;
import io.pgha.lab.topology.Topology;
import io.pgha.testkit.Pause;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL failures of alerts/rules/postgres_health.yml caused for real on the test cluster,
 * at the same time (they touch different members or different settings), each alert reaching the
 * pgha receiver: archive_command failing on the leader, a session idle in transaction there, a
 * deadlock there (two sessions updating two rows in opposite order), a checksum failure there (a
 * page of the test's own table damaged on disk, then read), a replica crowded with connections
 * near the limit whose Patroni is also cut off from etcd (PghaPatroniDcsUnreachable, of
 * failover.yml), replay paused on the other replica with a long transaction open on it, and two
 * replication slots on the leader: one a segment short of max_slot_wal_keep_size (at risk), one
 * past it and lost; meanwhile pg_wal of the leader keeps all that WAL, as archiving fails
 * (PghaPostgresWalDiskFillingUp), and the leader burns transaction IDs (PghaPostgresXidWraparound).
 * The rules' thresholds, windows and {@code for} are lowered by a {@link TestRuleFile}; the metrics
 * are the exporter's own. The DCS cut, the long transaction, the slot at risk and the transaction
 * ID age are then healed (the cut removed, the session terminated, the slot advanced as its
 * consumer would, every database frozen), and the deadlock's and the checksum failure's lowered
 * windows pass: each of these six alerts' resolved notification is awaited too.
 *
 * <p>Patroni (14+) resumes a paused replay at its next loop unless the cluster is in maintenance
 * mode, and drops a permanent slot only outside it: the test pauses the cluster around the paused
 * replay, and creates the slots before. Every change is undone in a finally block, in reverse order:
 * configuration, maintenance mode, the DCS cut, the test's tables, sessions, replay, the slots; the
 * test waits until the archiver has caught up and the slots are gone, so the cluster is as it found it.
 */
@PghaCluster.Test
class PostgresHealthAlertsIT {
  private static final Duration NOTIFICATION_BOUND = Duration.ofMinutes(3);
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final String RULES = "postgres-health";
  private static final String SLOT = "pgha_it_lost";
  /** Moved to a segment start two segments after {@link #SLOT}, so it is at risk when SLOT is lost. */
  private static final String AT_RISK_SLOT = "pgha_it_at_risk";
  /**
   * max_slot_wal_keep_size in WAL segments: a slot one segment short of it has 1/11 of its allowance
   * left, under the rule's 10%, while its WAL is still reserved (no checkpoint can lose it meanwhile).
   */
  private static final int SLOT_LIMIT_SEGMENTS = 10;
  private static final String DEADLOCK_TABLE = "pgha_it_deadlock";
  private static final String DEADLOCK_DETECTED = "40P01";
  private static final String CORRUPT_TABLE = "pgha_it_corrupt";
  private static final String DATA_CORRUPTED = "XX001";
  private static final String FAILING_ARCHIVE_COMMAND = "/bin/false";
  /** Patroni refuses a wal_keep_size below 16MB (it falls back to 128MB). */
  private static final String SMALL_WAL = "16MB";
  /** The alerts whose fault the test also heals, awaiting their resolved notification. */
  private static final List<String> HEALED = List.of("PghaPatroniDcsUnreachable", "PghaPostgresDeadlocks",
      "PghaPostgresChecksumFailure", "PghaPostgresLongTransaction", "PghaPostgresReplicationSlotAtRisk",
      "PghaPostgresXidWraparound");
  /**
   * Transaction IDs the test consumes on the leader; the lowered wraparound threshold sits half of
   * them above the oldest database's age before, far more than the test's other transactions take.
   */
  private static final int XIDS_BURNED = 60_000;
  /** Transactions per statement while burning: well within the connection's socket timeout. */
  private static final int XIDS_PER_STATEMENT = 10_000;
  /**
   * Over the lowered PghaPostgresWalDiskFillingUp's horizon, {@link #WAL_BURST_SEGMENTS} per window
   * would take this many times pg_wal's free space; see {@link #walHorizonSeconds}.
   */
  private static final int WAL_HORIZON_FACTOR = 8;
  /** The WAL segments {@link #endangerSlot} writes at least, with archiving failing: all kept in pg_wal. */
  private static final int WAL_BURST_SEGMENTS = SLOT_LIMIT_SEGMENTS;
  /** The lowered window of PghaPostgresWalDiskFillingUp, in seconds (the rule's is an hour). */
  private static final int WAL_WINDOW_SECONDS = 60;

  @Test
  void postgresFailuresAndADcsCutReachTheReceiverAndTheHealedOnesResolve(TestCluster cluster) throws Exception {
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
    long timeline;
    long xidAge;
    long walHorizon;
    try (Connection c = cluster.connectMember(leader, Secrets.SUPERUSER)) {
      timeline = Long.parseLong(text(c, "SELECT timeline_id::text FROM pg_control_checkpoint()"));
      xidAge = Long.parseLong(text(c, OLDEST_DATABASE_AGE));
      walHorizon = walHorizonSeconds(cluster, leader, c);
    }
    long xidThreshold = xidAge + XIDS_BURNED / 2;

    Undo undo = new Undo();
    Map<String, Long> faultAt = new LinkedHashMap<>();
    Map<String, NotificationWatch.Seen> seen = new LinkedHashMap<>();
    Map<String, NotificationWatch.Seen> resolved = new LinkedHashMap<>();
    try (TestRuleFile rules = TestRuleFile.named(RULES)
            .copy("PghaPostgresArchivingFailing", "10s")
            .copy("PghaPostgresIdleInTransaction", "10s", ") > 300", ") > 5")
            .copy("PghaPostgresConnectionsNearLimit", "10s")
            .copy("PghaPostgresReplayPaused", "10s")
            .copy("PghaPostgresReplicationSlotLost", "10s")
            .copy("PghaPostgresReplicationSlotAtRisk", "10s")
            // A 30 s window: one deadlock fires it, and it resolves half a minute later.
            .copy("PghaPostgresDeadlocks", "10s", "[5m]", "[30s]")
            // The same for the checksum failure (its for is 0s already).
            .copy("PghaPostgresChecksumFailure", "0s", "[1h]", "[30s]")
            .copy("PghaPostgresLongTransaction", "10s",
                "(pgha_postgres_oldest_transaction_seconds) > 3600", "(pgha_postgres_oldest_transaction_seconds) > 5")
            // The threshold is the cluster's own ttl (10 s in the lab).
            .copy("PghaPatroniDcsUnreachable", "10s")
            // Just above the oldest database's age now: only the transaction IDs the test burns cross it.
            .copyOfSeverity("PghaPostgresXidWraparound", "warning", "10s", "> 0.5", "> " + xidThreshold + " / 2^31")
            // A minute's growth, over a horizon at which the test's burst of WAL would fill the disk.
            .copy("PghaPostgresWalDiskFillingUp", "10s", "[1h], 4 * 3600)", "[" + WAL_WINDOW_SECONDS + "s], "
                + walHorizon + ")")
            .install(cluster);
         NotificationWatch watch = NotificationWatch.start(cluster);
         Connection primary = cluster.connectMember(leader, Secrets.SUPERUSER)) {
      long rulesAt = System.currentTimeMillis();
      long segmentBytes = Long.parseLong(text(primary, "SELECT setting FROM pg_settings WHERE name = 'wal_segment_size'"));
      String slotLimit = SLOT_LIMIT_SEGMENTS * segmentBytes / (1024 * 1024) + "MB";

      // Configuration first: Patroni applies parameters in maintenance mode, but slots only outside it.
      undo.push("configuration", () -> patroni.patchConfig(cluster.topology(), restore(before), auth));
      patroni.patchConfig(cluster.topology(), """
          {"postgresql": {"parameters": {"archive_command": "%s", "wal_keep_size": "%s",
            "max_slot_wal_keep_size": "%s"}},
           "slots": {"%s": {"type": "physical"}, "%s": {"type": "physical"}}}""".formatted(
          FAILING_ARCHIVE_COMMAND, SMALL_WAL, slotLimit, SLOT, AT_RISK_SLOT), auth);
      await("the failing archive_command, small WAL limits and slots " + SLOT + ", " + AT_RISK_SLOT + " on " + leader,
          () -> text(primary, "SELECT current_setting('archive_command') || ' ' || current_setting('wal_keep_size')"
              + " || ' ' || current_setting('max_slot_wal_keep_size') || ' ' || (SELECT count(*) FROM"
              + " pg_replication_slots WHERE slot_name IN ('" + SLOT + "', '" + AT_RISK_SLOT + "')"
              + " AND restart_lsn IS NOT NULL)")
              .equals(FAILING_ARCHIVE_COMMAND + " " + SMALL_WAL + " " + slotLimit + " 2"));
      faultAt.put("PghaPostgresArchivingFailing", System.currentTimeMillis());
      // From here pg_wal keeps all the test writes: the damaged table's 35 MB, the burnt transaction
      // IDs and the slots' segments, a few hundred MB within a minute (see walHorizonSeconds).
      faultAt.put("PghaPostgresWalDiskFillingUp", System.currentTimeMillis());
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

      // The crowded replica's Patroni (only its etcd connections): the slowest alert, so first.
      NetworkFaults network = cluster.network();
      assertThat(network.cgroupProblem(crowded)).as("%s in its cgroup", crowded).isNull();
      undo.push("the DCS cut of " + crowded, network::heal);
      network.cutFromDcs(crowded);
      faultAt.put("PghaPatroniDcsUnreachable", System.currentTimeMillis());

      undo.push("table " + DEADLOCK_TABLE, () -> {
        try (Connection c = cluster.connectMember(leader, Secrets.SUPERUSER)) {
          execute(c, "DROP TABLE IF EXISTS " + DEADLOCK_TABLE);
        }
      });
      faultAt.put("PghaPostgresDeadlocks", deadlock(cluster, leader, primary));

      undo.push("table " + CORRUPT_TABLE, () -> {
        try (Connection c = cluster.connectMember(leader, Secrets.SUPERUSER)) {
          execute(c, "DROP TABLE IF EXISTS " + CORRUPT_TABLE);
        }
      });
      faultAt.put("PghaPostgresChecksumFailure", checksumFailure(cluster, leader, primary));

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

      // An active (not idle) read transaction, so only PghaPostgresLongTransaction fires for this
      // member; replay is paused here, so no recovery conflict cancels it.
      LongTransaction longTransaction = LongTransaction.open(cluster, paused);
      undo.push("the long transaction on " + paused, longTransaction::terminate);
      faultAt.put("PghaPostgresLongTransaction", System.currentTimeMillis());

      // After replay paused on the other replica, which would keep the burnt age until the undo.
      faultAt.put("PghaPostgresXidWraparound", System.currentTimeMillis());
      burnXids(primary, XIDS_BURNED);
      assertThat(Long.parseLong(text(primary, OLDEST_DATABASE_AGE))).as("the oldest database's age after the burn")
          .isGreaterThan(xidThreshold);

      endangerSlot(primary);
      faultAt.put("PghaPostgresReplicationSlotAtRisk", System.currentTimeMillis());
      faultAt.put("PghaPostgresReplicationSlotLost", System.currentTimeMillis());
      loseSlot(primary);

      // PghaPostgresXidWraparound is the scope's: no member.
      Map<String, String> memberOf = Map.ofEntries(Map.entry("PghaPostgresArchivingFailing", leader),
          Map.entry("PghaPostgresIdleInTransaction", leader), Map.entry("PghaPostgresConnectionsNearLimit", crowded),
          Map.entry("PghaPostgresReplayPaused", paused), Map.entry("PghaPostgresReplicationSlotLost", leader),
          Map.entry("PghaPatroniDcsUnreachable", crowded), Map.entry("PghaPostgresDeadlocks", leader),
          Map.entry("PghaPostgresLongTransaction", paused), Map.entry("PghaPostgresReplicationSlotAtRisk", leader),
          Map.entry("PghaPostgresChecksumFailure", leader), Map.entry("PghaPostgresWalDiskFillingUp", leader));
      Map<String, String> slotOf = Map.of("PghaPostgresReplicationSlotLost", SLOT,
          "PghaPostgresReplicationSlotAtRisk", AT_RISK_SLOT);
      for (String alert : faultAt.keySet()) {
        seen.put(alert, watch.await("firing " + alert + " of " + RULES + " for "
            + memberOf.getOrDefault(alert, "the scope"),
            a -> a.alertname().equals(alert) && a.status().equals("firing") && ours(a, memberOf.get(alert),
                slotOf.get(alert)), NOTIFICATION_BOUND));
        if (alert.equals("PghaPostgresConnectionsNearLimit")) {
          closeAll(crowd); // no need to hold 90 connections while the others arrive
        }
      }

      // Heal, slowest to resolve first. A deadlock and a checksum failure are over at once: their
      // alerts resolve when the lowered window has passed them, so they count from the fault.
      Map<String, Long> healedAt = new LinkedHashMap<>();
      network.heal();
      healedAt.put("PghaPatroniDcsUnreachable", System.currentTimeMillis());
      healedAt.put("PghaPostgresDeadlocks", faultAt.get("PghaPostgresDeadlocks"));
      healedAt.put("PghaPostgresChecksumFailure", faultAt.get("PghaPostgresChecksumFailure"));
      longTransaction.terminate();
      healedAt.put("PghaPostgresLongTransaction", System.currentTimeMillis());
      text(primary, "SELECT pg_replication_slot_advance('" + AT_RISK_SLOT + "', pg_current_wal_lsn())::text");
      healedAt.put("PghaPostgresReplicationSlotAtRisk", System.currentTimeMillis());
      // The idle transaction's ID would hold freezing back to before the burn; it has fired.
      idle.close();
      freezeEveryDatabase(cluster, leader, primary);
      healedAt.put("PghaPostgresXidWraparound", System.currentTimeMillis());
      for (String alert : HEALED) {
        resolved.put(alert, watch.await("resolved " + alert + " of " + RULES + " for "
            + memberOf.getOrDefault(alert, "the scope"),
            a -> a.alertname().equals(alert) && a.status().equals("resolved") && ours(a, memberOf.get(alert),
                slotOf.get(alert)), NOTIFICATION_BOUND));
      }

      System.out.printf("PostgresHealthAlertsIT: test rules %s loaded after %.1f s%n", rules.group(),
          (rulesAt - started) / 1000.0);
      for (Map.Entry<String, NotificationWatch.Seen> e : seen.entrySet()) {
        String alert = e.getKey();
        NotificationWatch.Seen s = e.getValue();
        List<Object> times = new ArrayList<>(List.of("firing at the receiver", s.seenAtMillis() - faultAt.get(alert),
            "firing in Prometheus", s.alert().startsAt().toEpochMilli() - faultAt.get(alert)));
        if (resolved.containsKey(alert)) {
          times.addAll(List.of("resolved at the receiver", resolved.get(alert).seenAtMillis() - healedAt.get(alert)));
        }
        AlertTimes.record("PostgresHealthAlertsIT", alert, "member " + memberOf.getOrDefault(alert, "(none)")
            + ", from its fault"
            + (resolved.containsKey(alert) ? " (resolved: from its heal)" : ""), times.toArray());
      }
      for (Map.Entry<String, NotificationWatch.Seen> e : resolved.entrySet()) {
        assertThat(e.getValue().notification().receiver()).as("receiver of resolved %s", e.getKey()).isEqualTo("pgha");
      }
    } finally {
      undo.run();
      settle(cluster, leader, timeline);
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
    assertThat(seen.get("PghaPostgresReplicationSlotAtRisk").alert().labels()).containsEntry("slot_name", AT_RISK_SLOT)
        .containsEntry("slot_type", "physical");
    assertThat(seen.get("PghaPostgresDeadlocks").alert().labels()).containsEntry("database", TestCluster.DATABASE);
    assertThat(seen.get("PghaPostgresChecksumFailure").alert().labels()).containsEntry("database", TestCluster.DATABASE);
    assertThat(seen.get("PghaPostgresLongTransaction").alert().labels()).containsEntry("kind", "session");
    assertThat(seen.get("PghaPostgresXidWraparound").alert().labels()).containsEntry("severity", "warning")
        .doesNotContainKey("member");
    assertThat(seen.get("PghaPostgresWalDiskFillingUp").alert().labels()).containsEntry("severity", "critical");
    assertThat(resolved.keySet()).containsExactlyElementsOf(HEALED);
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
   * Two sessions on the leader update two rows of a new table in opposite order: PostgreSQL finds
   * the deadlock after deadlock_timeout and aborts one of them. Returns when it did.
   */
  private static long deadlock(TestCluster cluster, String leader, Connection primary) throws Exception {
    execute(primary, "CREATE TABLE " + DEADLOCK_TABLE + " (id int PRIMARY KEY, n int NOT NULL)");
    execute(primary, "INSERT INTO " + DEADLOCK_TABLE + " VALUES (1, 0), (2, 0)");
    ExecutorService second = Executors.newSingleThreadExecutor();
    try (Connection a = cluster.connectMember(leader, Secrets.SUPERUSER);
         Connection b = cluster.connectMember(leader, Secrets.SUPERUSER)) {
      a.setAutoCommit(false);
      b.setAutoCommit(false);
      String aPid = text(a, "SELECT pg_backend_pid()::text");
      assertThat(update(a, 1)).as("session A takes row 1").isEmpty();
      assertThat(update(b, 2)).as("session B takes row 2").isEmpty();
      Future<String> aWaits = second.submit(() -> update(a, 2));
      await("session A (pid " + aPid + ") waiting for row 2", () -> text(primary, "SELECT count(*)::text FROM"
          + " pg_stat_activity WHERE pid = " + aPid + " AND wait_event_type = 'Lock'").equals("1"));
      String bOutcome = update(b, 1);
      String aOutcome = aWaits.get(SETTLE.toSeconds(), TimeUnit.SECONDS);
      long detected = System.currentTimeMillis();
      a.rollback();
      b.rollback();
      assertThat(List.of(aOutcome, bOutcome)).as("SQLSTATE of each session's second update ('' when it went through)")
          .containsExactlyInAnyOrder(DEADLOCK_DETECTED, "");
      return detected;
    } finally {
      second.shutdownNow();
    }
  }

  /**
   * Damages a data page of a new table on the leader on disk while PostgreSQL holds no copy of it,
   * then reads it: the checksum (initdb --data-checksums) no longer matches, the read fails and
   * pg_stat_database counts a checksum failure. CREATE TABLE AS writes through a 16 MB ring of
   * buffers, so the first page of a 35 MB table is long evicted when it ends and is read from disk
   * again. Only this table, on the leader alone (replicas have their own copies), is damaged, and it
   * is dropped at once; autovacuum is off for it so it does not read the page meanwhile. Returns
   * when the read failed.
   */
  private static long checksumFailure(TestCluster cluster, String leader, Connection primary) throws Exception {
    execute(primary, "CREATE TABLE " + CORRUPT_TABLE + " WITH (autovacuum_enabled = false) AS"
        + " SELECT g AS id, repeat('x', 200) AS filler FROM generate_series(1, 150000) g");
    Path file = Path.of(cluster.topology().member(leader).dataDir())
        .resolve(text(primary, "SELECT pg_relation_filepath('" + CORRUPT_TABLE + "')"));
    int blockSize = Integer.parseInt(text(primary, "SELECT current_setting('block_size')"));
    // The tuples fill the first page from its end: bytes there change the checksum, not the page header.
    try (FileChannel data = FileChannel.open(file, StandardOpenOption.WRITE)) {
      byte[] damage = new byte[16];
      Arrays.fill(damage, (byte) 'Z');
      data.write(ByteBuffer.wrap(damage), blockSize - 64);
    }
    String outcome;
    try {
      outcome = "read " + text(primary, "SELECT count(*)::text FROM " + CORRUPT_TABLE);
    } catch (SQLException e) {
      outcome = e.getSQLState();
    }
    long failed = System.currentTimeMillis();
    execute(primary, "DROP TABLE " + CORRUPT_TABLE);
    assertThat(outcome).as("SQLSTATE of reading the damaged page").isEqualTo(DATA_CORRUPTED);
    return failed;
  }

  /** Adds one to row {@code id} of the deadlock table: the SQLSTATE it failed with, or "" when it went through. */
  private static String update(Connection c, int id) {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE " + DEADLOCK_TABLE + " SET n = n + 1 WHERE id = " + id);
      return "";
    } catch (SQLException e) {
      return Objects.toString(e.getSQLState(), "?");
    }
  }

  /**
   * Writes WAL until {@link #AT_RISK_SLOT}, moved to the start of a segment two segments after
   * {@link #SLOT} was made, is one segment short of max_slot_wal_keep_size: under a tenth of its
   * allowance left, and still reserved. SLOT, two segments older, is then past it (unreserved: the
   * next checkpoint loses it).
   */
  private static void endangerSlot(Connection primary) throws Exception {
    writeSegment(primary);
    writeSegment(primary);
    text(primary, "SELECT pg_replication_slot_advance('" + AT_RISK_SLOT + "', pg_current_wal_lsn())::text");
    long start = segment(primary, "(SELECT restart_lsn FROM pg_replication_slots WHERE slot_name = '" + AT_RISK_SLOT + "')");
    for (int i = 0; i <= SLOT_LIMIT_SEGMENTS && segment(primary, "pg_current_wal_lsn()") < start + SLOT_LIMIT_SEGMENTS; i++) {
      writeSegment(primary);
    }
    assertThat(slotStatus(primary)).as("wal_status of the test's slots one segment short of the limit")
        .matches(AT_RISK_SLOT + " (reserved|extended), " + SLOT + " (unreserved|lost)");
  }

  /** A checkpoint removes the WAL {@link #SLOT} needs, which {@link #endangerSlot} left unreserved. */
  private static void loseSlot(Connection primary) throws Exception {
    execute(primary, "CHECKPOINT");
    assertThat(slotStatus(primary)).as("wal_status of the test's slots after a checkpoint")
        .matches(AT_RISK_SLOT + " (reserved|extended), " + SLOT + " lost");
  }

  /**
   * One WAL segment (a record, then a switch); returns when every active slot has caught up, so no
   * member's own slot is ever at risk.
   */
  private static void writeSegment(Connection primary) throws Exception {
    text(primary, "SELECT pg_logical_emit_message(false, 'pgha-it', 'slots at risk')::text");
    String switched = text(primary, "SELECT pg_switch_wal()::text");
    await("the members' slots at " + switched, () -> text(primary, "SELECT coalesce(bool_and(restart_lsn >= '"
        + switched + "'), true)::text FROM pg_replication_slots WHERE active").equals("true"));
  }

  /** The number of the WAL segment holding {@code lsn} (an SQL expression). */
  private static long segment(Connection primary, String lsn) throws SQLException {
    return Long.parseLong(text(primary, "SELECT floor((" + lsn + " - '0/0'::pg_lsn) / setting::numeric)::bigint::text"
        + " FROM pg_settings WHERE name = 'wal_segment_size'"));
  }

  private static String slotStatus(Connection primary) throws SQLException {
    return text(primary, "SELECT string_agg(slot_name || ' ' || coalesce(wal_status, '?'), ', ' ORDER BY slot_name)"
        + " FROM pg_replication_slots WHERE slot_name IN ('" + SLOT + "', '" + AT_RISK_SLOT + "')");
  }

  /**
   * A copy of this test's rule file about {@code member} (null: an alert of the whole scope, with
   * no member label) and {@code slot}, when not null.
   */
  private static boolean ours(NotifiedAlert a, String member, String slot) {
    return RULES.equals(a.labels().get(TestRuleFile.LABEL)) && Objects.equals(member, a.labels().get("member"))
        && (slot == null || slot.equals(a.labels().get("slot_name")));
  }

  /** What pgha_postgres_xid_wraparound_ratio is made of: the oldest database's XID or multixact age. */
  private static final String OLDEST_DATABASE_AGE =
      "SELECT max(greatest(age(datfrozenxid), mxid_age(datminmxid)))::text FROM pg_database";

  /**
   * The prediction horizon, in seconds, at which {@link #WAL_BURST_SEGMENTS} segments of WAL (what
   * {@link #endangerSlot} writes alone; the test writes more, all kept while archiving fails) seen
   * in a {@link #WAL_WINDOW_SECONDS} window would need {@link #WAL_HORIZON_FACTOR} times the space
   * pg_wal's file system has left: the lowered threshold, scaled to this disk. predict_linear's
   * slope over the window is up to 1.5 times the growth over the window, and more than a sixth of
   * it while the growth is in the window's middle 90 %, so the condition holds for tens of
   * seconds; a pg_wal that does not grow never crosses it.
   */
  private static long walHorizonSeconds(TestCluster cluster, String leader, Connection primary) throws Exception {
    long segmentBytes = Long.parseLong(text(primary, "SELECT setting FROM pg_settings WHERE name = 'wal_segment_size'"));
    long available = Files.getFileStore(Path.of(cluster.topology().member(leader).dataDir()).resolve("pg_wal"))
        .getUsableSpace();
    long horizon = WAL_HORIZON_FACTOR * available / (WAL_BURST_SEGMENTS * segmentBytes) * WAL_WINDOW_SECONDS;
    System.out.printf("PostgresHealthAlertsIT: %d MiB left for pg_wal of %s; the test's WAL horizon is %d s%n",
        available >> 20, leader, horizon);
    return horizon;
  }

  /**
   * Consumes {@code count} transaction IDs on the leader, one committed transaction each as a busy
   * primary's clients would (without waiting for each commit's flush, which only costs time).
   */
  private static void burnXids(Connection primary, int count) throws SQLException {
    execute(primary, "SET synchronous_commit = off");
    for (int burnt = 0; burnt < count; burnt += XIDS_PER_STATEMENT) {
      execute(primary, "DO $$BEGIN FOR i IN 1.." + XIDS_PER_STATEMENT
          + " LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END$$");
    }
    execute(primary, "RESET synchronous_commit");
  }

  /**
   * VACUUM (FREEZE) of every database on the leader, which brings the oldest age back to the
   * transactions since the oldest one still open. template0 too, whose connections are allowed
   * for it meanwhile: the test's ages are so small that it is as old as any database, where in
   * production autovacuum freezes it at autovacuum_freeze_max_age, long before the alert.
   */
  private static void freezeEveryDatabase(TestCluster cluster, String leader, Connection primary) throws Exception {
    Map<String, Boolean> allowsConnections = new LinkedHashMap<>();
    try (Statement s = primary.createStatement();
         ResultSet rs = s.executeQuery("SELECT datname, datallowconn FROM pg_database ORDER BY datname")) {
      while (rs.next()) {
        allowsConnections.put(rs.getString(1), rs.getBoolean(2));
      }
    }
    Topology.Member m = cluster.topology().member(leader);
    for (Map.Entry<String, Boolean> d : allowsConnections.entrySet()) {
      String name = d.getKey();
      boolean closed = !d.getValue();
      if (closed) {
        execute(primary, "ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
      }
      try (Connection c = cluster.connect(cluster.topology().jdbcUrl(m.host(), m.pgPort(), name), Secrets.SUPERUSER)) {
        execute(c, "VACUUM (FREEZE)");
      } finally {
        if (closed) {
          execute(primary, "ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
        }
      }
    }
  }

  /** The WAL file the archiver fails on, or '' when its last attempt succeeded. */
  private static final String ARCHIVER_FAILING_ON = "SELECT CASE WHEN last_failed_time IS NOT NULL AND (last_archived_time"
      + " IS NULL OR last_failed_time > last_archived_time) THEN last_failed_wal ELSE '' END FROM pg_stat_archiver";

  /**
   * After the undo: the slots are gone, the cluster's archive command is back and the archiver has
   * archived what waited, on a healthy cluster. An archiver stuck on a file of a timeline older than
   * the leader's at the start of the test is not the test's doing (seen after DrillsIT: a member
   * promoted after a rewind held an old timeline's segment differing from the archived one, which
   * the archive command rightly refuses to overwrite); it is reported, not waited for.
   */
  private static void settle(TestCluster cluster, String leader, long timeline) throws Exception {
    try (Connection primary = cluster.connectMember(leader, Secrets.SUPERUSER)) {
      await("slots " + SLOT + ", " + AT_RISK_SLOT + " dropped by Patroni", () -> text(primary,
          "SELECT count(*)::text FROM pg_replication_slots WHERE slot_name IN ('" + SLOT + "', '" + AT_RISK_SLOT + "')")
          .equals("0"));
      await("the cluster's archive command back on " + leader, () -> text(primary, "SELECT (current_setting("
          + "'archive_command') <> '" + FAILING_ARCHIVE_COMMAND + "')::text").equals("true"));
      await("the archiver caught up on " + leader + ", or stuck on an older timeline's file", () -> {
        String failing = text(primary, ARCHIVER_FAILING_ON);
        if (failing.length() >= 8 && Long.parseLong(failing.substring(0, 8), 16) < timeline) {
          System.out.printf("PostgresHealthAlertsIT: the archiver on %s fails on %s, of a timeline before the"
              + " test's %d: not the test's%n", leader, failing, timeline);
          return true;
        }
        return text(primary, "SELECT ((SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready') = 0"
            + " AND coalesce(last_failed_time < last_archived_time, true))::text FROM pg_stat_archiver").equals("true");
      });
    }
    cluster.awaitHealthy(SETTLE);
  }

  private static String text(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return Objects.toString(rs.getString(1), "");
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /**
   * A read transaction kept active on a member by a sleeping query (no transaction ID: it may run
   * on a replica), ended by pg_terminate_backend.
   */
  private static final class LongTransaction {
    private final TestCluster cluster;
    private final String member;
    private final Connection session;
    private final String pid;
    private final ExecutorService runner = Executors.newSingleThreadExecutor();
    private boolean terminated;

    private LongTransaction(TestCluster cluster, String member, Connection session, String pid) {
      this.cluster = cluster;
      this.member = member;
      this.session = session;
      this.pid = pid;
    }

    static LongTransaction open(TestCluster cluster, String member) throws Exception {
      Connection session = cluster.connectMember(member, Secrets.APP);
      LongTransaction t = new LongTransaction(cluster, member, session, text(session, "SELECT pg_backend_pid()::text"));
      session.setAutoCommit(false);
      t.runner.submit(() -> text(session, "SELECT pg_sleep(3600)::text"));
      try (Connection c = cluster.connectMember(member, Secrets.SUPERUSER)) {
        await("the transaction of session " + t.pid + " on " + member, () -> text(c, "SELECT count(*)::text FROM"
            + " pg_stat_activity WHERE pid = " + t.pid + " AND state = 'active' AND xact_start IS NOT NULL").equals("1"));
      }
      return t;
    }

    /** Terminates the session (waiting until it is gone); again is a no-op. */
    synchronized void terminate() throws Exception {
      if (terminated) {
        return;
      }
      try (Connection c = cluster.connectMember(member, Secrets.SUPERUSER)) {
        text(c, "SELECT pg_terminate_backend(" + pid + ", 10000)::text");
      }
      terminated = true;
      runner.shutdownNow();
      try {
        session.close();
      } catch (SQLException ignored) {
        // the server ended it
      }
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
