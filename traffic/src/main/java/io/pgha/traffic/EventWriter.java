package io.pgha.traffic;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** Inserts one event per operation through HAProxy's write port; each carries a fresh client-made token. */
final class EventWriter implements TrafficOperation {

  // The server's own address tells which member took the write, whatever HAProxy did; the name of the
  // WAL file it went to, which timeline (two primaries at once write on two timelines).
  static final String INSERT_EVENT = "INSERT INTO events (owner_id, kind, token) VALUES (?, 'traffic', ?) "
      + "RETURNING host(inet_server_addr()), inet_server_port(), pg_walfile_name(pg_current_wal_lsn())";

  private final TrafficConnector connector;
  private final OwnerIds owners;
  private final ReconnectingStatement insert;

  EventWriter(TrafficConnector connector, OwnerIds owners) {
    this.connector = connector;
    this.owners = owners;
    this.insert = new ReconnectingStatement(connector, connector.target().write(), INSERT_EVENT, Long.MAX_VALUE);
  }

  @Override
  public OperationOutcome.Kind kind() {
    return OperationOutcome.Kind.WRITE;
  }

  @Override
  public Served perform() throws SQLException {
    UUID token = UUID.randomUUID();
    return insert.use(statement -> {
      statement.setLong(1, owners.next(statement.getConnection()));
      statement.setObject(2, token);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          throw new SQLException("INSERT ... RETURNING returned no row");
        }
        return new Served(connector.target().memberName(row.getString(1), row.getInt(2)), true, token,
            timeline(row.getString(3)));
      }
    });
  }

  /** The timeline of a WAL file name: its first 8 hex digits ({@code 000000020000000000000005}: 2). */
  static long timeline(String walFileName) throws SQLException {
    if (walFileName == null || walFileName.length() != 24) {
      throw new SQLException("not a WAL file name: " + walFileName);
    }
    try {
      return Long.parseLong(walFileName.substring(0, 8), 16);
    } catch (NumberFormatException e) {
      throw new SQLException("not a WAL file name: " + walFileName, e);
    }
  }

  @Override
  public void close() {
    insert.close();
  }
}
