package io.pgha.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The traffic generator against a real PostgreSQL 15 of the test's own (one server standing in for both
 * HAProxy ports): a crash of the postmaster shows as failed writes and one outage spanning the crash, the
 * run reconnects by itself, and every acknowledged write is in the table afterwards. The HA cluster
 * behaviour (failover through HAProxy) is tested in the it module.
 */
class TrafficRunPostgresTest {

  // Apart from every address of the cluster topology (127.0.0.x), so it can run beside a cluster.
  private static final String HOST = "127.0.7.1";
  private static DemoDatabase postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = DemoDatabase.start(HOST);
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void survivesACrashOfThePrimaryAndLosesNoAcknowledgedWrite() throws Exception {
    Path workdir = postgres.workdir();
    TrafficTarget target = TrafficTarget.of(workdir, "postgres");
    TrafficOptions options = TrafficOptions.defaults(workdir.resolve("traffic")).withRate(100, 0.3);
    assertThat(TrafficPreflight.check(target, options).ok()).isTrue();

    TrafficSummary summary;
    long killedAt;
    long restartedAt;
    List<OperationOutcome> outcomes;
    try (TrafficRun run = TrafficRun.start(target, options)) {
      awaitUpTo(Duration.ofSeconds(20), () -> run.acknowledgedWrites().size() >= 30);
      killedAt = run.nowMillis();
      postgres.killPostmaster();
      awaitUpTo(Duration.ofSeconds(10), () -> countFailedWritesAfter(run, killedAt) >= 3);
      restartedAt = run.nowMillis();
      postgres.startServer();
      int acknowledgedAtRestart = run.acknowledgedWrites().size();
      awaitUpTo(Duration.ofSeconds(20), () -> run.acknowledgedWrites().size() >= acknowledgedAtRestart + 30);

      List<TrafficWindow> buckets = run.buckets();
      assertThat(buckets).isNotEmpty();
      assertThat(buckets.stream().mapToInt(TrafficWindow::writesFailed).sum()).isGreaterThanOrEqualTo(3);
      assertThat(buckets.get(buckets.size() - 1).endMillis() - buckets.get(0).startMillis())
          .isEqualTo(buckets.size() * TrafficWindows.BUCKET_MILLIS);
      summary = run.stop();
      outcomes = run.outcomes();
    }

    assertThat(summary.writesFailed()).isGreaterThanOrEqualTo(3);
    assertThat(summary.writeOutages()).hasSize(1);
    WriteOutage outage = summary.longestWriteOutage().orElseThrow();
    assertThat(outage.recovered()).isTrue();
    // Writes in flight may still be acknowledged just after the kill; none after the first failure until
    // the server was started again.
    assertThat(outage.fromMillis()).isLessThan(restartedAt);
    assertThat(outage.toMillis()).isGreaterThan(restartedAt);
    assertThat(outcomes.stream().filter(o -> o.isWrite() && !o.ok()).mapToLong(OperationOutcome::endedAtMillis)
        .min().orElseThrow()).isGreaterThanOrEqualTo(killedAt);
    assertThat(summary.writesByMember()).containsOnlyKeys("pg-1");
    assertThat(summary.readsByMember()).containsOnlyKeys("pg-1");
    assertThat(summary.readsOk()).isPositive();
    // One server stands in for both ports, so the reads came from a primary, and say so.
    assertThat(summary.totals().readsFromPrimary()).isEqualTo(summary.readsOk());

    LedgerCheck check = summary.ledgerCheck();
    assertThat(check.complete()).isTrue();
    assertThat(check.acknowledged()).isEqualTo((int) summary.writesOk()).isGreaterThanOrEqualTo(60);
    assertThat(check.lost()).isZero();
    assertThat(TrafficLedger.read(summary.ledgerFile())).hasSize(check.acknowledged());
    assertThat(trafficEventCount()).isGreaterThanOrEqualTo(check.acknowledged());
    // A crash and restart of a primary stays on its timeline: every write recorded on the first.
    assertThat(TrafficLedger.read(summary.ledgerFile())).extracting(LedgerEntry::timeline).containsOnly(1L);
    assertThat(TimelineOverlap.of(TrafficLedger.read(summary.ledgerFile())).splitBrain()).isFalse();
  }

  @Test
  void ledgerCheckFindsAWriteThatIsGone() throws Exception {
    Path workdir = postgres.workdir();
    TrafficTarget target = TrafficTarget.of(workdir, "postgres");
    TrafficOptions options = TrafficOptions.defaults(workdir.resolve("traffic")).withRate(40, 0);
    List<LedgerEntry> acknowledged;
    try (TrafficRun run = TrafficRun.start(target, options)) {
      awaitUpTo(Duration.ofSeconds(20), () -> run.acknowledgedWrites().size() >= 5);
      run.stop();
      acknowledged = TrafficLedger.read(run.ledgerFile());
    }
    LedgerEntry deleted = acknowledged.get(2);
    try (Connection app = postgres.connectAsApp();
         Statement statement = app.createStatement()) {
      statement.execute("DELETE FROM events WHERE token = '" + deleted.token() + "'");
    }

    LedgerCheck check = LedgerVerifier.verify(target, options, acknowledged);

    assertThat(check.complete()).isTrue();
    assertThat(check.missing()).containsExactly(deleted);
    assertThat(check.found()).isEqualTo(acknowledged.size() - 1);
  }

  private static long countFailedWritesAfter(TrafficRun run, long fromMillis) {
    return run.outcomes().stream().filter(o -> o.isWrite() && !o.ok() && o.endedAtMillis() >= fromMillis).count();
  }

  private static long trafficEventCount() throws Exception {
    try (Connection app = postgres.connectAsApp();
         Statement statement = app.createStatement();
         ResultSet row = statement.executeQuery("SELECT count(*) FROM events WHERE kind = 'traffic'")) {
      row.next();
      return row.getLong(1);
    }
  }

  /** Bounded wait for a condition; a bound passed is a failure, not a timing assertion. */
  private static void awaitUpTo(Duration bound, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + bound);
      }
      Thread.sleep(50);
    }
  }
}
