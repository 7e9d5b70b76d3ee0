package io.pgha.traffic;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * One prepared statement on one connection to an endpoint, kept across operations and made again
 * after any failure (the next operation then reconnects, through HAProxy to whoever serves now), or
 * once the connection is older than {@code maxAgeNanos}.
 */
final class ReconnectingStatement implements AutoCloseable {

  /** What an operation does with the statement. */
  @FunctionalInterface
  interface Use<T> {
    T on(PreparedStatement statement) throws SQLException;
  }

  private final TrafficConnector connector;
  private final TrafficTarget.Endpoint endpoint;
  private final String sql;
  private final long maxAgeNanos;
  private Connection connection;
  private PreparedStatement statement;
  private long connectedAtNanos;

  ReconnectingStatement(TrafficConnector connector, TrafficTarget.Endpoint endpoint, String sql, long maxAgeNanos) {
    this.connector = connector;
    this.endpoint = endpoint;
    this.sql = sql;
    this.maxAgeNanos = maxAgeNanos;
  }

  <T> T use(Use<T> use) throws SQLException {
    if (connection != null && System.nanoTime() - connectedAtNanos > maxAgeNanos) {
      close();
    }
    try {
      if (connection == null) {
        connectedAtNanos = System.nanoTime();
        connection = connector.open(endpoint);
        statement = connection.prepareStatement(sql);
      }
      return use.on(statement);
    } catch (SQLException | RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public void close() {
    TrafficConnector.closeQuietly(statement);
    TrafficConnector.closeQuietly(connection);
    statement = null;
    connection = null;
  }
}
