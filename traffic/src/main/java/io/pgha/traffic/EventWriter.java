package io.pgha.traffic;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** Inserts one event per operation through HAProxy's write port; each carries a fresh client-made token. */
final class EventWriter implements TrafficOperation {

  // The server's own address tells which member took the write, whatever HAProxy did.
  static final String INSERT_EVENT = "INSERT INTO events (owner_id, kind, token) VALUES (?, 'traffic', ?) "
      + "RETURNING host(inet_server_addr()), inet_server_port()";

  private final TrafficConnector connector;
  private final OwnerIds owners;
  private Connection connection;
  private PreparedStatement insert;

  EventWriter(TrafficConnector connector, OwnerIds owners) {
    this.connector = connector;
    this.owners = owners;
  }

  @Override
  public OperationOutcome.Kind kind() {
    return OperationOutcome.Kind.WRITE;
  }

  @Override
  public Served perform() throws SQLException {
    try {
      if (connection == null) {
        connection = connector.open(connector.target().write());
        insert = connection.prepareStatement(INSERT_EVENT);
      }
      UUID token = UUID.randomUUID();
      insert.setLong(1, owners.next(connection));
      insert.setObject(2, token);
      try (ResultSet row = insert.executeQuery()) {
        if (!row.next()) {
          throw new SQLException("INSERT ... RETURNING returned no row");
        }
        return new Served(connector.target().memberName(row.getString(1), row.getInt(2)), true, token);
      }
    } catch (SQLException | RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public void close() {
    TrafficConnector.closeQuietly(insert);
    TrafficConnector.closeQuietly(connection);
    insert = null;
    connection = null;
  }
}
