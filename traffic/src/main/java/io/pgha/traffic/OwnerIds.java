package io.pgha.traffic;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The demo owners to spread events over, loaded once from whichever connection gets there first. */
final class OwnerIds {

  static final String SELECT_OWNER_IDS = "SELECT id FROM owners ORDER BY id LIMIT 1000";

  private volatile long[] ids;
  private final AtomicLong next = new AtomicLong();

  /** The next owner id, round robin. */
  long next(Connection connection) throws SQLException {
    long[] loaded = ids;
    if (loaded == null) {
      loaded = load(connection);
      ids = loaded;
    }
    return loaded[(int) Math.floorMod(next.getAndIncrement(), (long) loaded.length)];
  }

  private static long[] load(Connection connection) throws SQLException {
    List<Long> found = new ArrayList<>();
    try (Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery(SELECT_OWNER_IDS)) {
      while (rows.next()) {
        found.add(rows.getLong(1));
      }
    }
    if (found.isEmpty()) {
      throw new SQLException("table owners is empty: apply demo-schema.sql", "P0002");
    }
    return found.stream().mapToLong(Long::longValue).toArray();
  }
}
