package io.pgha.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.common.ExporterCommand;
import io.pgha.common.ExporterProcess;
import io.pgha.testkit.ThrowawayPostgres;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter against a real PostgreSQL it starts itself ({@link ThrowawayPostgres}), with a
 * role that has nothing but pg_monitor: every collector served, bad passwords, dead and silent
 * targets, a refused query, a restart.
 */
class PostgresExporterLiveTest {
  private static final String PASSWORD = UUID.randomUUID().toString();
  private static ThrowawayPostgres pg;

  @TempDir Path tmp;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = new ThrowawayPostgres();
    pg.createMonitorRole("pgha_monitor", PASSWORD);
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  private ExporterProcess exporter(String password, String targets) throws Exception {
    return exporter(password, targets, "3s", "1s");
  }

  /**
   * With the scrape timeout, and the connect and statement timeouts, given: a test about anything
   * but timeouts gives long ones, so a loaded machine (a slow SCRAM handshake, a slow first batch)
   * cannot change what it sees.
   */
  private ExporterProcess exporter(String password, String targets, String scrapeTimeout, String pgTimeout)
      throws Exception {
    Path passwordFile = tmp.resolve("pgha_monitor.password");
    Files.writeString(passwordFile, password + "\n");
    ThrowawayPostgres.restrict(passwordFile);
    Path config = tmp.resolve("config.yml");
    Files.writeString(config, """
        scrape: {timeout: %s}
        postgres:
          username: pgha_monitor
          password_file: %s
          connect_timeout: %s
          statement_timeout: %s
          targets:
        %s""".formatted(scrapeTimeout, passwordFile, pgTimeout, pgTimeout, targets));
    return ExporterCommand.start(PostgresExporter.SPEC, Map.of(),
        "--config", config.toString(), "--web.listen-address=" + ThrowawayPostgres.HOST + ":0");
  }

  private static String live(String member) {
    return "    - {scope: pgha, member: %s, host: %s, port: %d, data_directory: %s}\n"
        .formatted(member, ThrowawayPostgres.HOST, pg.port(), pg.data());
  }

  private static String at(String member, int port) {
    return "    - {scope: pgha, member: %s, host: %s, port: %d}\n".formatted(member, ThrowawayPostgres.HOST, port);
  }

  private String scrape(ExporterProcess exporter, String prometheusTimeout) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://" + ThrowawayPostgres.HOST + ":" + exporter.port(PostgresExporter.NAME) + "/metrics")).timeout(Duration.ofSeconds(60));
    if (prometheusTimeout != null) {
      request.header("X-Prometheus-Scrape-Timeout-Seconds", prometheusTimeout);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static double value(String text, String series) {
    return text.lines().filter(l -> l.startsWith(series + " ")).map(l -> Double.parseDouble(l.substring(series.length() + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no series " + series + " in\n" + text));
  }

  private static String member(String name, String... more) {
    StringBuilder sb = new StringBuilder("{member=\"" + name + "\",scope=\"pgha\"");
    for (int i = 0; i < more.length; i += 2) {
      sb.append(',').append(more[i]).append("=\"").append(more[i + 1]).append('"');
    }
    return sb.append('}').toString();
  }

  @Test
  void aPgMonitorOnlyRoleGetsEveryCollectorAndADeadTargetIsUpZero() throws Exception {
    int nothingListens = ThrowawayPostgres.freePort();
    try (ExporterProcess exporter = exporter(PASSWORD, live("pg-1") + at("pg-2", nothingListens))) {
      String text = scrape(exporter, null);

      assertThat(value(text, PostgresMetrics.UP.name() + member("pg-1"))).isEqualTo(1);
      assertThat(value(text, PostgresMetrics.UP.name() + member("pg-2"))).isEqualTo(0);
      assertThat(text.lines().filter(l -> l.startsWith(PostgresMetrics.CORE.collectorSuccess().name() + "{")))
          .hasSize(17).allSatisfy(l -> assertThat(l).endsWith(" 1.0"));
      assertThat(value(text, PostgresMetrics.IN_RECOVERY.name() + member("pg-1"))).isEqualTo(0);
      assertThat(value(text, PostgresMetrics.TIMELINE.name() + member("pg-1"))).isEqualTo(1);
      assertThat(value(text, PostgresMetrics.WAL_POSITION_BYTES.name() + member("pg-1"))).isPositive();
      assertThat(value(text, PostgresMetrics.STANDBYS_STREAMING.name() + member("pg-1"))).isEqualTo(0);
      assertThat(value(text, PostgresMetrics.CONNECTIONS.name() + member("pg-1", "state", "active"))).isGreaterThanOrEqualTo(1);
      assertThat(value(text, PostgresMetrics.CONNECTIONS_MAX.name() + member("pg-1"))).isEqualTo(20);
      assertThat(value(text, PostgresMetrics.DATABASE_SIZE_BYTES.name() + "{database=\"postgres\",member=\"pg-1\",scope=\"pgha\"}"))
          .isGreaterThan(1_000_000);
      assertThat(value(text, PostgresMetrics.WAL_BYTES.name() + member("pg-1"))).isPositive();
      assertThat(text).doesNotContain("member=\"pg-2\",scope=\"pgha\"} 1.0").doesNotContain(PASSWORD);

      // CPU and memory of the real instance: postmaster, checkpointer, bgwriter, walwriter,
      // autovacuum launcher, logical replication launcher, our backend at least.
      assertThat(value(text, PostgresMetrics.INSTANCE_PROCESSES.name() + member("pg-1"))).isGreaterThanOrEqualTo(6);
      assertThat(value(text, PostgresMetrics.INSTANCE_CPU_SECONDS.name() + member("pg-1"))).isPositive();
      assertThat(value(text, PostgresMetrics.INSTANCE_RESIDENT_MEMORY_BYTES.name() + member("pg-1")))
          .isBetween(2.0 * 1024 * 1024, 1024.0 * 1024 * 1024);
      assertThat(text).doesNotContain(PostgresMetrics.INSTANCE_PROCESSES.name() + member("pg-2"));
    }
  }

  @Test
  void everyStatementRunsOncePerScrapeAndIsPlannedOnlyOncePerBatchComposition() throws Exception {
    pg.sql("SELECT pg_stat_statements_reset()");
    int scrapes = 5;
    // Counts, not speed: on a loaded machine connecting or the first batch (every statement planned,
    // the database sizes measured) can outlast 1s, and a scrape without them counts nothing.
    try (ExporterProcess exporter = exporter(PASSWORD, live("pg-1"), "30s", "20s")) {
      for (int i = 0; i < scrapes; i++) {
        scrape(exporter, null);
      }
    }
    List<String> rows = List.of(pg.sql("SELECT calls || ' ' || plans || ' ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 40)"
        + " FROM pg_stat_statements WHERE userid = 'pgha_monitor'::regrole ORDER BY query").split("\n"));
    List<String> expected = new ArrayList<>();
    for (String sql : List.of(PgRecoveryCollector.SQL, PgStatReplicationCollector.SQL, PgStatWalReceiverCollector.SQL,
        PgReplicationSlotsCollector.SQL, PgStatActivityCollector.SQL, PgStatWalCollector.SQL, PgSettingsCollector.SQL,
        PgStatArchiverCollector.SQL, PgWalDirectoryCollector.SQL, PgDatabaseAgeCollector.SQL,
        PgTransactionAgeCollector.SQL, PgStatDatabaseCollector.SQL, PgCheckpointerCollector.SQL_13)) {
      // Planned twice: once in the first batch (with the database sizes), once in the batch without.
      expected.add(scrapes + " 2 " + normalized(sql).substring(0, 40));
    }
    // Database sizes are measured once per database_size_interval (5 minutes by default).
    expected.add("1 1 " + normalized(PgDatabaseCollector.SQL).substring(0, 40));
    assertThat(rows).containsExactlyInAnyOrderElementsOf(expected);
  }

  /** A statement as pg_stat_statements shows it: blanks collapsed, string constants numbered $1, $2... */
  private static String normalized(String sql) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("'[^']*'").matcher(sql.replaceAll("\\s+", " "));
    StringBuilder sb = new StringBuilder();
    int n = 0;
    while (m.find()) {
      m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement("$" + ++n));
    }
    return m.appendTail(sb).toString();
  }

  @Test
  void aRotatedPasswordFileIsReadAtTheNextConnectWithoutARestart() throws Exception {
    try (ExporterProcess exporter = exporter("not-yet-" + UUID.randomUUID(), live("pg-1"))) {
      assertThat(value(scrape(exporter, null), PostgresMetrics.UP.name() + member("pg-1"))).isEqualTo(0);

      Files.writeString(tmp.resolve("pgha_monitor.password"), PASSWORD + "\n");

      assertThat(value(scrape(exporter, null), PostgresMetrics.UP.name() + member("pg-1"))).isEqualTo(1);
    }
  }

  @Test
  void aWrongPasswordIsUpZeroWithALogLineNamingTargetAndCauseButNotThePassword() throws Exception {
    String wrong = "wrong-" + UUID.randomUUID();
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    String text;
    try (ExporterProcess exporter = exporter(wrong, live("pg-1"))) {
      text = scrape(exporter, null);
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(value(text, PostgresMetrics.UP.name() + member("pg-1"))).isEqualTo(0);
    assertThat(log).contains("pgha/pg-1 (" + ThrowawayPostgres.HOST + ":" + pg.port()
        + "/postgres): cannot connect: FATAL: password authentication failed for user \\\"pgha_monitor\\\"");
    assertThat(log + text).doesNotContain(wrong).doesNotContain(PASSWORD);
  }

  /** A server that accepts connections and never answers the startup message; closes them with itself. */
  private static final class SilentServer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    SilentServer() throws IOException {
      socket = new ServerSocket(0, 100, InetAddress.getByName(ThrowawayPostgres.HOST));
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(socket.accept());
          }
        } catch (IOException closed) {
          // The test is over.
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void aSilentTargetIsCutAtTheDeadlineAndTheOthersAreServed() throws Exception {
    try (SilentServer silent = new SilentServer();
        ExporterProcess exporter = exporter(PASSWORD, live("pg-1") + at("pg-2", silent.port()))) {
      // pg-1 connected first: the 1s deadline is about the silent target, not a slow SCRAM handshake.
      scrape(exporter, null);
      String text = scrape(exporter, "1");
      assertThat(value(text, PostgresMetrics.UP.name() + member("pg-1"))).isEqualTo(1);
      assertThat(value(text, PostgresMetrics.UP.name() + member("pg-2"))).isEqualTo(0);
      assertThat(value(text, PostgresMetrics.IN_RECOVERY.name() + member("pg-1"))).isEqualTo(0);
      assertThat(value(text, PostgresMetrics.CORE.collectorSuccess().name() + "{collector=\"recovery\"}")).isEqualTo(1);

      String again = scrape(exporter, "1");
      assertThat(value(again, PostgresMetrics.UP.name() + member("pg-2"))).as("still stuck: reported, not queued").isEqualTo(0);
      assertThat(value(again, PostgresMetrics.UP.name() + member("pg-1"))).isEqualTo(1);
    }
  }

  /**
   * More silent targets than the exporter has JDBC threads, the live one listed last: each silent
   * target's connect holds a thread for the connect timeout, and the live target is still served
   * within the scrape's one second because a hanging call gets a thread of its own.
   */
  @Test
  void moreSilentTargetsThanWorkerThreadsStillLeaveTheLiveTargetServed() throws Exception {
    int silentTargets = JdbcWorkers.threadsFor(Integer.MAX_VALUE) + 1;
    try (SilentServer silent = new SilentServer()) {
      StringBuilder targets = new StringBuilder();
      for (int i = 0; i < silentTargets; i++) {
        targets.append(at("silent-" + i, silent.port()));
      }
      targets.append(live("pg-1"));
      // Connect and statement timeouts of 2 s: a silent target holds its thread past the 1 s scrape.
      try (ExporterProcess exporter = exporter(PASSWORD, targets.toString(), "5s", "2s")) {
        // pg-1 connected first (the silent ones' connects end after 2 s): the next scrape is about threads.
        assertThat(value(scrape(exporter, null), PostgresMetrics.UP.name() + member("pg-1"))).isEqualTo(1);
        String text = scrape(exporter, "1");
        assertThat(value(text, PostgresMetrics.UP.name() + member("pg-1"))).isEqualTo(1);
        assertThat(value(text, PostgresMetrics.IN_RECOVERY.name() + member("pg-1"))).isEqualTo(0);
        for (int i = 0; i < silentTargets; i++) {
          assertThat(value(text, PostgresMetrics.UP.name() + member("silent-" + i))).isEqualTo(0);
        }
      }
    }
  }

  @Test
  void aRefusedQueryFailsOnlyItsCollectorUntilItIsAllowedAgain() throws Exception {
    pg.sql("REVOKE EXECUTE ON FUNCTION pg_database_size(oid) FROM PUBLIC");
    try (ExporterProcess exporter = exporter(PASSWORD, live("pg-1"))) {
      String text = scrape(exporter, null);
      assertThat(value(text, PostgresMetrics.CORE.collectorSuccess().name() + "{collector=\"database\"}")).isEqualTo(0);
      assertThat(text).doesNotContain(PostgresMetrics.DATABASE_SIZE_BYTES.name());
      assertThat(text.lines().filter(l -> l.startsWith(PostgresMetrics.CORE.collectorSuccess().name() + "{") && !l.contains("\"database\"")))
          .hasSize(16).allSatisfy(l -> assertThat(l).endsWith(" 1.0"));
      assertThat(value(text, PostgresMetrics.UP.name() + member("pg-1"))).isEqualTo(1);
      assertThat(value(text, PostgresMetrics.IN_RECOVERY.name() + member("pg-1"))).isEqualTo(0);

      pg.sql("GRANT EXECUTE ON FUNCTION pg_database_size(oid) TO PUBLIC");
      String allowed = scrape(exporter, null);
      assertThat(value(allowed, PostgresMetrics.CORE.collectorSuccess().name() + "{collector=\"database\"}")).isEqualTo(1);
      assertThat(value(allowed, PostgresMetrics.DATABASE_SIZE_BYTES.name() + "{database=\"postgres\",member=\"pg-1\",scope=\"pgha\"}"))
          .isPositive();
    } finally {
      pg.sql("GRANT EXECUTE ON FUNCTION pg_database_size(oid) TO PUBLIC");
    }
  }

  /**
   * A function pg_monitor may no longer run (a revoked grant; a missing view behaves the same):
   * that collector reports 0 with the reason in the log once over several scrapes, the rest stays.
   */
  @Test
  void aForbiddenFunctionFailsOnlyItsCollectorWithTheReasonLoggedOnce() throws Exception {
    pg.sql("REVOKE EXECUTE ON FUNCTION pg_ls_waldir() FROM pg_monitor");
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    List<String> texts = new ArrayList<>();
    try (ExporterProcess exporter = exporter(PASSWORD, live("pg-1"))) {
      for (int i = 0; i < 3; i++) {
        texts.add(scrape(exporter, null));
      }
    } finally {
      System.setErr(original);
      pg.sql("GRANT EXECUTE ON FUNCTION pg_ls_waldir() TO pg_monitor");
    }
    for (String text : texts) {
      assertThat(value(text, PostgresMetrics.CORE.collectorSuccess().name() + "{collector=\"wal_directory\"}")).isZero();
      assertThat(text).doesNotContain(PostgresMetrics.WAL_DIRECTORY_BYTES.name() + "{");
      assertThat(text.lines().filter(l -> l.startsWith(PostgresMetrics.CORE.collectorSuccess().name() + "{")
          && !l.contains("\"wal_directory\""))).hasSize(16).allSatisfy(l -> assertThat(l).endsWith(" 1.0"));
      assertThat(value(text, PostgresMetrics.ARCHIVER_PENDING_WAL_FILES.name() + member("pg-1"))).isZero();
      assertThat(value(text, PostgresMetrics.XID_WRAPAROUND_RATIO.name() + member("pg-1"))).isBetween(0.0, 0.1);
    }
    List<String> reasons = captured.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.contains("collector wal_directory")).toList();
    assertThat(reasons).hasSize(1);
    assertThat(reasons.get(0)).contains("pgha/pg-1 (").contains("permission denied for function pg_ls_waldir");
  }

  /** A statement for newer servers only is not sent to this one (15): no rows, no error, the rest answered. */
  @Test
  void aQueryWithoutAStatementForTheServersVersionIsNotSent() throws Exception {
    Vertx vertx = Vertx.vertx();
    PostgresTarget target = new PostgresTarget("pgha", "pg-1", pg.jdbcUrl(), "throwaway", Optional.empty());
    PgQuery<String> newer = PgQuery.byVersion("newer", row -> row.text("x"), PgQuery.since(130000, null),
        PgQuery.since(990000, "SELECT x FROM a_view_of_postgres_99"));
    PgQuery<String> any = new PgQuery<>("any", "SELECT 'sent'::text AS x", row -> row.text("x"));
    try (JdbcWorkers workers = new JdbcWorkers(vertx, "test-jdbc", 1, Duration.ofMillis(100));
        PgTargetClient client = new PgTargetClient(target, new Credentials("pgha_monitor", PASSWORD, null),
            Duration.ofSeconds(2), Duration.ofSeconds(2), workers)) {
      TargetSample sample = client.sample(List.of(newer, any), System.nanoTime() + 10_000_000_000L)
          .await(15, TimeUnit.SECONDS);
      assertThat(sample.isUp()).isTrue();
      assertThat(sample.rows(newer)).isEmpty();
      assertThat(sample.rows(any)).containsExactly("sent");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aRestartedServerIsUpZeroWhileDownAndReconnectedAfter() throws Exception {
    try (ExporterProcess exporter = exporter(PASSWORD, live("pg-1"))) {
      long pidBefore = pg.pid();
      assertThat(value(scrape(exporter, null), PostgresMetrics.UP.name() + member("pg-1"))).isEqualTo(1);

      pg.stop();
      String down = scrape(exporter, null);
      assertThat(value(down, PostgresMetrics.UP.name() + member("pg-1"))).isEqualTo(0);
      assertThat(value(down, PostgresMetrics.INSTANCE_PROCESSES.name() + member("pg-1"))).isEqualTo(0);

      pg.start();
      String back = scrape(exporter, null);
      assertThat(value(back, PostgresMetrics.UP.name() + member("pg-1"))).isEqualTo(1);
      assertThat(value(back, PostgresMetrics.CORE.collectorSuccess().name() + "{collector=\"recovery\"}")).isEqualTo(1);
      assertThat(pg.pid()).isNotEqualTo(pidBefore);
      assertThat(value(back, PostgresMetrics.INSTANCE_PROCESSES.name() + member("pg-1"))).isGreaterThanOrEqualTo(6);
    }
  }
}
