package io.pgha.postgres;

import java.util.Objects;

/**
 * One statement a collector needs from every target, and how to read each row of its result.
 * Reading happens on the JDBC worker; turning the records into metrics is the collector's pure part.
 *
 * @param name the collector's name, used in error messages
 * @param sql a single read-only statement without parameters
 */
public record PgQuery<R>(String name, String sql, RowReader<R> reader) {

  /** Reads one row into an immutable record. */
  @FunctionalInterface
  public interface RowReader<R> {
    R read(Row row);
  }

  public PgQuery {
    Objects.requireNonNull(name);
    Objects.requireNonNull(reader);
    if (sql.contains(";")) {
      throw new IllegalArgumentException(name + ": one statement per query, no ';'");
    }
  }
}
