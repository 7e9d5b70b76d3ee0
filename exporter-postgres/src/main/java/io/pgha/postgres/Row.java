package io.pgha.postgres;

/**
 * One row of a query result, read by column name. SQL NULL reads as {@code null}, so every
 * reader decides explicitly what a missing value means. Implemented over a live JDBC result set
 * and over rows recorded with {@code psql --csv} for the tests.
 */
public interface Row {

  String text(String column);

  Double number(String column);

  Boolean bool(String column);
}
