package io.pgha.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;

/** A {@link Row} over the current row of a JDBC result set. */
final class ResultSetRow implements Row {
  private final ResultSet rs;

  ResultSetRow(ResultSet rs) {
    this.rs = rs;
  }

  @Override
  public String text(String column) {
    try {
      return rs.getString(column);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public Double number(String column) {
    try {
      double value = rs.getDouble(column);
      return rs.wasNull() ? null : value;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public Boolean bool(String column) {
    try {
      boolean value = rs.getBoolean(column);
      return rs.wasNull() ? null : value;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
