package io.pgha.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;

/** A {@link Row} over the current row of a JDBC result set. */
final class ResultSetRow implements Row {
  private final ResultSet rs;

  /** One column read from the result set; SQL NULL as {@code null}. */
  @FunctionalInterface
  private interface Column<T> {
    T read() throws SQLException;
  }

  ResultSetRow(ResultSet rs) {
    this.rs = rs;
  }

  @Override
  public String text(String column) {
    return read(() -> rs.getString(column));
  }

  @Override
  public Double number(String column) {
    return read(() -> {
      double value = rs.getDouble(column);
      return rs.wasNull() ? null : value;
    });
  }

  @Override
  public Boolean bool(String column) {
    return read(() -> {
      boolean value = rs.getBoolean(column);
      return rs.wasNull() ? null : value;
    });
  }

  private static <T> T read(Column<T> column) {
    try {
      return column.read();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
