package io.pgha.lab.deploy;

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

  public Database(Secrets secrets) {
    this.secrets = secrets;
  }

  public static String url(String host, int port) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + DATABASE;
  }

  public Connection connect(String host, int port, String user) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", secrets.password(user));
    p.setProperty("connectTimeout", "2");
    p.setProperty("socketTimeout", "10");
    p.setProperty("ApplicationName", "pgha");
    return DriverManager.getConnection(url(host, port), p);
  }

  /**
   * Creates pgha_monitor (member of pg_monitor only) and app, and sets their passwords. Passwords
   * go as SCRAM verifiers computed here, so no clear text reaches the server or its logs.
   */
  public void ensureRoles(String leaderHost, int leaderPort) throws SQLException {
    try (Connection c = connect(leaderHost, leaderPort, Secrets.SUPERUSER);
         Statement s = c.createStatement()) {
      s.execute("""
          DO $$
          BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgha_monitor') THEN
              CREATE ROLE pgha_monitor LOGIN CONNECTION LIMIT 20 IN ROLE pg_monitor;
            END IF;
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app') THEN
              CREATE ROLE app LOGIN;
            END IF;
          END $$""");
      s.execute("GRANT USAGE, CREATE ON SCHEMA public TO app");
      PGConnection pg = c.unwrap(PGConnection.class);
      pg.alterUserPassword(Secrets.MONITOR, secrets.password(Secrets.MONITOR).toCharArray(),
          "scram-sha-256");
      pg.alterUserPassword(Secrets.APP, secrets.password(Secrets.APP).toCharArray(), "scram-sha-256");
    }
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
