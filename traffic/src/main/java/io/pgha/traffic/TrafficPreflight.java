package io.pgha.traffic;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One query through the write port before traffic starts, to tell mistakes that no retry will fix (wrong
 * password, missing database or tables) from a cluster that is just not answering yet.
 */
public final class TrafficPreflight {

  static final String COUNT_OWNERS = "SELECT count(*) FROM owners";

  /** @param fatal true when retrying cannot help; problem is null when all is well */
  public record Result(boolean fatal, String problem) {
    public boolean ok() {
      return problem == null;
    }
  }

  private TrafficPreflight() {
  }

  public static Result check(TrafficTarget target, TrafficOptions options) {
    try (Connection connection = new TrafficConnector(target, options).open(target.write());
         Statement statement = connection.createStatement();
         ResultSet row = statement.executeQuery(COUNT_OWNERS)) {
      row.next();
      if (row.getLong(1) == 0) {
        return new Result(true, "table owners is empty: apply demo-schema.sql");
      }
      return new Result(false, null);
    } catch (SQLException e) {
      return new Result(isFatal(e.getSQLState()), ErrorText.brief(e));
    }
  }

  /** Authentication (28), unknown database (3D000), missing table (42P01) or privilege (42501). */
  static boolean isFatal(String sqlState) {
    return sqlState != null && (sqlState.startsWith("28") || sqlState.equals("3D000") || sqlState.equals("42P01")
        || sqlState.equals("42501"));
  }
}
