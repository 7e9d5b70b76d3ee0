package io.pgha.bench;

import io.pgha.lab.deploy.Database;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.topology.Topology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The load scrapes put on PostgreSQL, from pg_stat_statements on every member: statements run and
 * their execution time, summed over members, for all users and for the bench's own role. The
 * cluster does work of its own while the bench runs (Patroni's HA loop, Prometheus scraping the
 * cluster's exporters and Patroni, exporter-patroni's background rounds), so for all users an idle
 * baseline rate is measured first and subtracted; the statements of the bench's own exporters
 * (role pgha_bench) have no background at all and are counted alone, without that noise.
 */
final class StatementLoad implements AutoCloseable {
  /** Our own snapshot queries mention the view: they are left out of every sum. */
  private static final String SNAPSHOT = """
      SELECT coalesce(sum(calls), 0)::bigint, coalesce(sum(total_exec_time), 0)::float8,
             coalesce(sum(calls) FILTER (WHERE userid = to_regrole('%1$s')), 0)::bigint,
             coalesce(sum(total_exec_time) FILTER (WHERE userid = to_regrole('%1$s')), 0)::float8
      FROM pg_stat_statements WHERE query NOT LIKE '%%pg_stat_statements%%'""".formatted(BenchRole.NAME);

  /** Counters at one moment, or a difference of two: of all users, and of the bench's role alone. */
  record Totals(long calls, double execMs, long benchCalls, double benchExecMs, long atNanos) {
    Totals(long calls, double execMs, long atNanos) {
      this(calls, execMs, 0, 0, atNanos);
    }

    Totals minus(Totals earlier) {
      return new Totals(calls - earlier.calls, execMs - earlier.execMs, benchCalls - earlier.benchCalls,
          benchExecMs - earlier.benchExecMs, atNanos - earlier.atNanos);
    }

    Totals plus(Totals other) {
      return new Totals(calls + other.calls, execMs + other.execMs, benchCalls + other.benchCalls,
          benchExecMs + other.benchExecMs, atNanos + other.atNanos);
    }

    static final Totals ZERO = new Totals(0, 0, 0);
  }

  private final List<Connection> members;
  private double baselineCallsPerSecond;
  private double baselineMsPerSecond;

  private StatementLoad(List<Connection> members) {
    this.members = members;
  }

  /**
   * Connects to every member and makes sure the extension exists; empty with the reason printed
   * when pg_stat_statements is not loaded (a cluster started before pgha loaded it).
   */
  static Optional<StatementLoad> open(Topology t, Topology.Member leader, Database db, StringBuilder why)
      throws SQLException {
    try (Connection c = db.connect(leader.host(), leader.pgPort(), Secrets.SUPERUSER);
         Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SHOW shared_preload_libraries")) {
      r.next();
      if (!r.getString(1).contains("pg_stat_statements")) {
        why.append("pg_stat_statements is not loaded on ").append(leader.name())
            .append(" (shared_preload_libraries needs a restart: pgha down, then pgha up)");
        return Optional.empty();
      }
      s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    }
    List<Connection> conns = new ArrayList<>();
    try {
      for (Topology.Member m : t.members()) {
        conns.add(db.connect(m.host(), m.pgPort(), Secrets.SUPERUSER));
      }
      StatementLoad load = new StatementLoad(conns);
      awaitViewOnReplicas(load);
      return Optional.of(load);
    } catch (SQLException | InterruptedException e) {
      for (Connection c : conns) {
        c.close();
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      why.append("pg_stat_statements cannot be read on every member: ").append(e.getMessage());
      return Optional.empty();
    }
  }

  /** CREATE EXTENSION reaches the replicas by replication: wait until each can read the view. */
  private static void awaitViewOnReplicas(StatementLoad load) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        load.snapshot();
        return;
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  Totals snapshot() throws SQLException {
    long calls = 0;
    double ms = 0;
    long benchCalls = 0;
    double benchMs = 0;
    for (Connection c : members) {
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(SNAPSHOT)) {
        r.next();
        calls += r.getLong(1);
        ms += r.getDouble(2);
        benchCalls += r.getLong(3);
        benchMs += r.getDouble(4);
      }
    }
    return new Totals(calls, ms, benchCalls, benchMs, System.nanoTime());
  }

  /** Measures the cluster's own statement rate while the bench does nothing. */
  void measureBaseline(Duration idle) throws SQLException, InterruptedException {
    Totals before = snapshot();
    Thread.sleep(idle.toMillis());
    Totals d = snapshot().minus(before);
    double seconds = d.atNanos() / 1e9;
    baselineCallsPerSecond = d.calls() / seconds;
    baselineMsPerSecond = d.execMs() / seconds;
  }

  double baselineCallsPerSecond() {
    return baselineCallsPerSecond;
  }

  /**
   * The cost of {@code scrapes} scrapes that made {@code delta} (summed over their windows): the
   * bench's role's statements alone when the scrapes' exporter logs in as it, else all users' less
   * the baseline.
   */
  PostgresCost cost(Totals delta, int scrapes, boolean benchRole) {
    return benchRole ? benchRoleCost(delta, scrapes) : cost(delta, scrapes, baselineCallsPerSecond, baselineMsPerSecond);
  }

  /** The bench's role's statements alone: nothing else runs as it, so nothing is subtracted. */
  static PostgresCost benchRoleCost(Totals delta, int scrapes) {
    return new PostgresCost((double) delta.benchCalls() / scrapes, delta.benchExecMs() / scrapes);
  }

  static PostgresCost cost(Totals delta, int scrapes, double callsPerSecond, double msPerSecond) {
    double seconds = delta.atNanos() / 1e9;
    double calls = Math.max(0, delta.calls() - callsPerSecond * seconds);
    double ms = Math.max(0, delta.execMs() - msPerSecond * seconds);
    return new PostgresCost(calls / scrapes, ms / scrapes);
  }

  @Override
  public void close() {
    for (Connection c : members) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing
      }
    }
  }
}
