package io.pgha.lab.deploy;

import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.postgresql.PGConnection;

/** The SQL {@code pgha up} runs: roles, the replication check on the leader, the demo schema. */
public final class Database {
  public static final String DATABASE = "postgres";

  private final Secrets secrets;
  /** The cluster, for its SSL settings; null: pgjdbc's default (sslmode prefer, nothing checked). */
  private final Topology topology;

  public Database(Secrets secrets) {
    this(secrets, null);
  }

  /** Connections that check the server's certificate on a TLS cluster (sslmode verify-full). */
  public Database(Secrets secrets, Topology topology) {
    this.secrets = secrets;
    this.topology = topology;
  }

  public static String url(String host, int port) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + DATABASE;
  }

  private String urlOf(String host, int port) {
    return topology == null ? url(host, port) : topology.jdbcUrl(host, port, DATABASE);
  }

  public Connection connect(String host, int port, String user) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", secrets.password(user));
    p.setProperty("connectTimeout", "2");
    p.setProperty("socketTimeout", "10");
    p.setProperty("ApplicationName", "pgha");
    return DriverManager.getConnection(urlOf(host, port), p);
  }

  /**
   * Creates pgha_monitor (member of pg_monitor only) and app, and sets their passwords. Passwords
   * go as SCRAM verifiers computed here, so no clear text reaches the server or its logs.
   */
  public void ensureRoles(String leaderHost, int leaderPort) throws SQLException {
    ensureMonitorRole(leaderHost, leaderPort, Secrets.MONITOR, secrets.password(Secrets.MONITOR));
    try (Connection c = connect(leaderHost, leaderPort, Secrets.SUPERUSER);
         Statement s = c.createStatement()) {
      s.execute("""
          DO $$
          BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app') THEN
              CREATE ROLE app LOGIN;
            END IF;
          END $$""");
      s.execute("GRANT USAGE, CREATE ON SCHEMA public TO app");
      c.unwrap(PGConnection.class).alterUserPassword(Secrets.APP, secrets.password(Secrets.APP).toCharArray(),
          "scram-sha-256");
    }
  }

  /**
   * Creates {@code role} as a member of pg_monitor only (if missing) and sets its password, as a
   * SCRAM verifier computed here: the exporters' kind of role (pgha_monitor, the bench's own).
   */
  public void ensureMonitorRole(String leaderHost, int leaderPort, String role, String password)
      throws SQLException {
    try (Connection c = connect(leaderHost, leaderPort, Secrets.SUPERUSER);
         Statement s = c.createStatement();
         ResultSet exists = s.executeQuery("SELECT count(*) FROM pg_roles WHERE rolname = " + literal(role))) {
      exists.next();
      if (exists.getLong(1) == 0) {
        s.execute("CREATE ROLE " + role + " LOGIN CONNECTION LIMIT 20 IN ROLE pg_monitor");
      }
      c.unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), "scram-sha-256");
    }
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /** A walsender in state streaming: the standby's application_name and whether it is synchronous. */
  public record StreamingReplica(String name, boolean sync) {}

  /** Every walsender in state streaming, as the leader reports them, by name. */
  public List<StreamingReplica> streamingReplicas(String leaderHost, int leaderPort) throws SQLException {
    List<StreamingReplica> out = new ArrayList<>();
    try (Connection c = connect(leaderHost, leaderPort, Secrets.SUPERUSER);
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(
             "SELECT application_name, sync_state FROM pg_stat_replication WHERE state = 'streaming' "
                 + "ORDER BY application_name")) {
      while (rs.next()) {
        out.add(new StreamingReplica(rs.getString(1), "sync".equals(rs.getString(2))));
      }
    }
    return out;
  }

  /** The demo tables and their seed rows, as {@code app}, through HAProxy's write port. */
  public void applyDemoSchema(String host, int writePort) throws SQLException, IOException {
    String sql;
    try (InputStream in = Database.class.getResourceAsStream("/sql/demo-schema.sql")) {
      if (in == null) {
        throw new IOException("demo-schema.sql is missing from the pgha jar");
      }
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection c = connect(host, writePort, Secrets.APP); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
