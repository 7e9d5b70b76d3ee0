package io.pgha.traffic;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads an owner's latest event through HAProxy's read port, noting which member answered and its role.
 * HAProxy balances connections, not queries: the reader opens a fresh connection every
 * {@link #CONNECTION_LIFETIME_NANOS} so reads spread over the replicas and follow a replica's return.
 */
final class EventReader implements TrafficOperation {

  static final long CONNECTION_LIFETIME_NANOS = 1_000_000_000L;

  static final String SELECT_LATEST_EVENT = "SELECT host(inet_server_addr()), inet_server_port(), "
      + "pg_is_in_recovery(), (SELECT max(id) FROM events WHERE owner_id = ?)";

  private final TrafficConnector connector;
  private final OwnerIds owners;
  private final ReconnectingStatement select;

  EventReader(TrafficConnector connector, OwnerIds owners) {
    this.connector = connector;
    this.owners = owners;
    this.select = new ReconnectingStatement(connector, connector.target().read(), SELECT_LATEST_EVENT,
        CONNECTION_LIFETIME_NANOS);
  }

  @Override
  public OperationOutcome.Kind kind() {
    return OperationOutcome.Kind.READ;
  }

  @Override
  public Served perform() throws SQLException {
    return select.use(statement -> {
      statement.setLong(1, owners.next(statement.getConnection()));
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          throw new SQLException("SELECT returned no row");
        }
        return new Served(connector.target().memberName(row.getString(1), row.getInt(2)), !row.getBoolean(3), null, 0);
      }
    });
  }

  @Override
  public void close() {
    select.close();
  }
}
