package io.pgha.drills;

import io.pgha.lab.topology.Topology;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.LongSupplier;

/**
 * Asks one member's PostgreSQL directly (not through HAProxy) whether it is a primary and how far its
 * WAL went: the old leader's last known position and the replicas' lag come from here. One connection,
 * kept open; dropped and reopened after any failure.
 */
final class PositionPoller implements Runnable {

  static final String POSITION = "SELECT pg_is_in_recovery(), COALESCE((CASE WHEN pg_is_in_recovery() "
      + "THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_insert_lsn() END - '0/0'::pg_lsn)::bigint, -1)";

  private final Topology.Member member;
  /** The member's JDBC URL: with SSL on a TLS cluster, where pgha_monitor may not connect without it. */
  private final String url;
  private final String user;
  private final String password;
  private final LongSupplier clock;
  private final Recorder<PositionSample> into;
  private Connection connection;

  PositionPoller(Topology.Member member, String url, String user, String password, LongSupplier clock,
                 Recorder<PositionSample> into) {
    this.member = member;
    this.url = url;
    this.user = user;
    this.password = password;
    this.clock = clock;
    this.into = into;
  }

  @Override
  public void run() {
    try {
      if (connection == null) {
        connection = connect();
      }
      try (Statement s = connection.createStatement(); ResultSet row = s.executeQuery(POSITION)) {
        row.next();
        into.add(new PositionSample(clock.getAsLong(), member.name(), true, !row.getBoolean(1), row.getLong(2)));
      }
    } catch (SQLException e) {
      into.add(PositionSample.unreachable(clock.getAsLong(), member.name()));
      close();
    }
  }

  private Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("connectTimeout", "1");
    p.setProperty("socketTimeout", "1");
    p.setProperty("ApplicationName", "pgha-drill");
    return DriverManager.getConnection(url, p);
  }

  void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // already broken
      }
      connection = null;
    }
  }
}
