package io.pgha.traffic;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;

/** Opens JDBC connections to HAProxy's endpoints with short timeouts, so a dead path fails fast. */
final class TrafficConnector {

  private static final Driver DRIVER = new Driver();

  private final TrafficTarget target;
  private final TrafficOptions options;

  TrafficConnector(TrafficTarget target, TrafficOptions options) {
    this.target = target;
    this.options = options;
  }

  TrafficTarget target() {
    return target;
  }

  Connection open(TrafficTarget.Endpoint endpoint) throws SQLException {
    String url = "jdbc:postgresql://" + endpoint + "/" + URLEncoder.encode(target.database(), StandardCharsets.UTF_8);
    Properties properties = new Properties();
    properties.setProperty("user", target.user());
    properties.setProperty("password", target.password());
    properties.setProperty("connectTimeout", Long.toString(options.connectTimeout().getSeconds()));
    // Also bounds the login: pgjdbc sets it on the socket before the startup handshake.
    properties.setProperty("socketTimeout", Long.toString(options.socketTimeout().getSeconds()));
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", "pgha-traffic");
    Connection connection = DRIVER.connect(url, properties);
    if (connection == null) {
      throw new SQLException("pgjdbc did not accept the URL " + url);
    }
    connection.setAutoCommit(true);
    return connection;
  }

  static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception ignored) {
      // The connection is already broken; there is nothing to tell.
    }
  }
}
