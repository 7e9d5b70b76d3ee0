package io.pgha.postgres;

import io.pgha.common.ErrorText;
import io.pgha.common.ProblemLog;
import io.pgha.common.tls.TlsFileException;
import io.pgha.common.tls.TlsMaterial;
import io.pgha.postgres.TargetSample.QueryResult;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one JDBC connection to one target and runs the queries of a scrape on it, on the
 * {@code pg-jdbc} workers ({@link JdbcWorkers}). All queries go in one round trip; a query that PostgreSQL refuses
 * is run on its own from then on (until it succeeds again), so it fails only its own collector.
 */
final class PgTargetClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PgTargetClient.class);
  static final String APPLICATION_NAME = "pgha-exporter-postgres";
  /** Statements cached per connection: one per batch composition, which changes rarely. */
  private static final int MAX_CACHED_STATEMENTS = 16;

  private final PostgresTarget target;
  private final Credentials credentials;
  private final Duration connectTimeout;
  private final Duration statementTimeout;
  private final JdbcWorkers workers;
  private final Driver driver = new Driver();
  private final AtomicBoolean busy = new AtomicBoolean();
  // Touched only by the task holding 'busy', so by one worker thread at a time.
  private Connection connection;
  /** server_version_num of the connected server: picks each query's statement. */
  private int serverVersionNum;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final Set<String> isolated = new HashSet<>();
  private final ProblemLog problems = new ProblemLog(LOG);
  private volatile boolean closed;
  /** The target's certificates; null with sslmode disable. */
  private final TlsMaterial tls;
  /** Our name for {@link #tls} in pgjdbc's {@code sslfactoryarg}. */
  private final String tlsId;
  /** The generation of {@link #tls} the connection was made with. */
  private long tlsGeneration;
  private static final AtomicLong IDS = new AtomicLong();

  PgTargetClient(PostgresTarget target, Credentials credentials, Duration connectTimeout,
      Duration statementTimeout, JdbcWorkers workers) {
    this.target = target;
    this.credentials = credentials;
    this.connectTimeout = connectTimeout;
    this.statementTimeout = statementTimeout;
    this.workers = workers;
    PgSsl ssl = target.ssl();
    this.tlsId = "pgha-postgres-" + IDS.incrementAndGet();
    this.tls = ssl.enabled() ? TlsMaterial.client(ssl.files(), ssl.verifiesServer()) : null;
    if (tls != null) {
      PgSslSocketFactory.register(tlsId, tls, ssl.verifiesHost());
    }
  }

  PostgresTarget target() {
    return target;
  }

  /**
   * Runs {@code queries} on the worker pool. A target still busy with an earlier scrape (it did
   * not answer within that scrape's deadline) is reported down at once instead of queueing work.
   */
  Future<TargetSample> sample(List<PgQuery<?>> queries, long deadlineNanos) {
    if (!busy.compareAndSet(false, true)) {
      return Future.succeededFuture(problem("still busy with an earlier scrape (slow target)"));
    }
    return workers.<TargetSample>run(() -> {
      try {
        return sampleBlocking(queries, deadlineNanos);
      } finally {
        busy.set(false);
      }
    });
  }

  private TargetSample sampleBlocking(List<PgQuery<?>> queries, long deadlineNanos) {
    if (closed) {
      return TargetSample.down(target, "exporter shutting down");
    }
    if (tls != null) {
      try {
        long generation = tls.check();
        if (generation != tlsGeneration) {
          // The certificates changed on disk: the next connection shows whether the new ones work.
          closeConnection();
          tlsGeneration = generation;
        }
      } catch (TlsFileException e) {
        closeConnection();
        return problem("cannot connect: " + e.getMessage());
      }
    }
    Connection c;
    try {
      c = connect();
    } catch (SQLException | RuntimeException e) {
      return problem("cannot connect: " + (tls == null ? ErrorText.describe(e)
          : tls.refusedWhileConnecting(e).orElseGet(() -> ErrorText.describe(tls.explained(e)))));
    }
    Map<String, QueryResult> results = new LinkedHashMap<>();
    List<PgQuery<?>> batch = new ArrayList<>();
    List<PgQuery<?>> alone = new ArrayList<>();
    for (PgQuery<?> q : queries) {
      if (q.sql(serverVersionNum).isEmpty()) {
        results.put(q.name(), QueryResult.ok(List.of())); // nothing to read on this version
      } else {
        (isolated.contains(q.name()) ? alone : batch).add(q);
      }
    }
    try {
      if (!batch.isEmpty()) {
        runBatch(c, batch, results);
      }
    } catch (SQLException e) {
      if (isConnectionLost(c, e)) {
        return lost(e);
      }
      // One of them failed and took the round trip with it: find out which by running each alone.
      alone.addAll(0, batch);
    }
    for (PgQuery<?> q : alone) {
      if (System.nanoTime() > deadlineNanos) {
        results.put(q.name(), QueryResult.failed("not run: the scrape deadline passed"));
        continue;
      }
      try {
        runBatch(c, List.of(q), results);
        isolated.remove(q.name());
      } catch (SQLException e) {
        if (isConnectionLost(c, e)) {
          return lost(e);
        }
        isolated.add(q.name());
        results.put(q.name(), QueryResult.failed(ErrorText.describe(e)));
      }
    }
    problems.recovered(target.toString(), "collecting again");
    return TargetSample.up(target, results);
  }

  private void runBatch(Connection c, List<PgQuery<?>> queries, Map<String, QueryResult> results) throws SQLException {
    String sql = queries.stream().map(q -> q.sql(serverVersionNum).orElseThrow()).collect(Collectors.joining(";\n"));
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      if (statements.size() >= MAX_CACHED_STATEMENTS) {
        closeStatements();
      }
      ps = c.prepareStatement(sql);
      statements.put(sql, ps);
    }
    Map<String, QueryResult> read = new LinkedHashMap<>();
    boolean hasResult = ps.execute();
    for (PgQuery<?> q : queries) {
      if (!hasResult) {
        throw new SQLException(q.name() + ": statement returned no rows", "XX000");
      }
      try (ResultSet rs = ps.getResultSet()) {
        read.put(q.name(), QueryResult.ok(readRows(rs, q)));
      } catch (RuntimeException e) {
        read.put(q.name(), QueryResult.failed("cannot read the result: " + ErrorText.describe(e)));
      }
      hasResult = ps.getMoreResults();
    }
    results.putAll(read);
  }

  private static <R> List<R> readRows(ResultSet rs, PgQuery<R> query) throws SQLException {
    List<R> rows = new ArrayList<>();
    Row row = new ResultSetRow(rs);
    while (rs.next()) {
      rows.add(query.reader().read(row));
    }
    return rows;
  }

  private Connection connect() throws SQLException {
    if (connection != null && !connection.isClosed()) {
      return connection;
    }
    Properties props = new Properties();
    props.setProperty("user", credentials.username());
    Optional<String> password = credentials.password();
    password.ifPresent(p -> props.setProperty("password", p));
    String connectSeconds = Long.toString(ceilSeconds(connectTimeout));
    props.setProperty("connectTimeout", connectSeconds);
    props.setProperty("loginTimeout", connectSeconds);
    // A server that stops answering mid-query must not hold a worker thread forever.
    props.setProperty("socketTimeout", Long.toString(ceilSeconds(statementTimeout) + ceilSeconds(connectTimeout)));
    props.setProperty("ApplicationName", APPLICATION_NAME);
    props.setProperty("options", "-c statement_timeout=" + statementTimeout.toMillis()
        + " -c lock_timeout=" + statementTimeout.toMillis()
        + " -c default_transaction_read_only=on -c jit=off");
    // Server-side prepared from the first run: the catalog views are then never planned again.
    props.setProperty("prepareThreshold", "1");
    props.setProperty("tcpKeepAlive", "true");
    // Lets the driver put application_name in the startup packet instead of a SET round trip.
    props.setProperty("assumeMinServerVersion", "14");
    props.setProperty("sslmode", target.ssl().mode());
    if (tls != null) {
      props.setProperty("sslfactory", PgSslSocketFactory.class.getName());
      props.setProperty("sslfactoryarg", tlsId);
    }
    Connection c = driver.connect(target.jdbcUrl(), props);
    if (c == null) {
      throw new SQLException("not a PostgreSQL JDBC URL");
    }
    c.setAutoCommit(true);
    DatabaseMetaData md = c.getMetaData();
    // From the startup packet's server_version (no round trip); exact from PostgreSQL 10 on.
    serverVersionNum = md.getDatabaseMajorVersion() * 10000 + md.getDatabaseMinorVersion();
    connection = c;
    LOG.info("{}: connected as {} (PostgreSQL {})", target, credentials.username(), md.getDatabaseProductVersion());
    return c;
  }

  private TargetSample lost(SQLException e) {
    closeConnection();
    return problem("connection lost: " + ErrorText.describe(e));
  }

  /** Reports the target down for this scrape, logging the reason when it differs from the last one. */
  TargetSample problem(String reason) {
    problems.failed(target.toString(), reason);
    return TargetSample.down(target, reason);
  }

  private static boolean isConnectionLost(Connection c, SQLException e) {
    String state = e.getSQLState();
    if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
      return true;
    }
    try {
      return c.isClosed();
    } catch (SQLException ignored) {
      return true;
    }
  }

  private static long ceilSeconds(Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000);
  }

  private void closeStatements() {
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException ignored) {
        // The connection is going or the statement is gone: nothing to release.
      }
    }
    statements.clear();
  }

  private void closeConnection() {
    statements.clear();
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Already broken.
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    closed = true;
    PgSslSocketFactory.unregister(tlsId);
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Shutting down.
      }
    }
  }
}
