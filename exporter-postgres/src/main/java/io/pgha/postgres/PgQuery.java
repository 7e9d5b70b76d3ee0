package io.pgha.postgres;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One statement a collector needs from every target, and how to read each row of its result.
 * Reading happens on the JDBC worker; turning the records into metrics is the collector's pure part.
 *
 * <p>Views change between PostgreSQL versions (pg_stat_checkpointer took the checkpoint columns of
 * pg_stat_bgwriter in 17), so a query may carry one statement per version: the one for a target
 * is the newest whose version is at most the server's {@code server_version_num}. A server older
 * than the oldest gets the oldest (and fails the collector if its views lack what it reads); a
 * version mapped to null has nothing to read (pg_stat_wal before 14), so the query is not sent
 * there and yields no rows.
 *
 * @param name the collector's name, used in error messages
 * @param sqlSince single read-only statements without parameters, by the first server_version_num
 *     they are for
 */
public record PgQuery<R>(String name, NavigableMap<Integer, Optional<String>> sqlSince, RowReader<R> reader) {

  /** Reads one row into an immutable record. */
  @FunctionalInterface
  public interface RowReader<R> {
    R read(Row row);
  }

  /** The same statement for every version. */
  public PgQuery(String name, String sql, RowReader<R> reader) {
    this(name, Collections.unmodifiableNavigableMap(new TreeMap<>(Map.of(0, Optional.of(sql)))), reader);
  }

  public PgQuery {
    Objects.requireNonNull(name);
    Objects.requireNonNull(reader);
    if (sqlSince.isEmpty()) {
      throw new IllegalArgumentException(name + ": no statement");
    }
    sqlSince.values().forEach(sql -> sql.ifPresent(s -> {
      if (s.contains(";")) {
        throw new IllegalArgumentException(name + ": one statement per query, no ';'");
      }
    }));
    sqlSince = Collections.unmodifiableNavigableMap(new TreeMap<>(sqlSince));
  }

  /** The statement ({@code sql}, null for nothing to read) from server_version_num {@code version} on. */
  public record Since(int version, String sql) {}

  public static Since since(int version, String sql) {
    return new Since(version, sql);
  }

  /** A query whose statement depends on the server version. */
  public static <R> PgQuery<R> byVersion(String name, RowReader<R> reader, Since... statements) {
    NavigableMap<Integer, Optional<String>> map = new TreeMap<>();
    for (Since s : statements) {
      if (map.put(s.version(), Optional.ofNullable(s.sql())) != null) {
        throw new IllegalArgumentException(name + ": two statements since " + s.version());
      }
    }
    return new PgQuery<>(name, map, reader);
  }

  /** The statement for a server of this {@code server_version_num}; empty when it has nothing to read. */
  public Optional<String> sql(int serverVersionNum) {
    Map.Entry<Integer, Optional<String>> e = sqlSince.floorEntry(serverVersionNum);
    return (e != null ? e : sqlSince.firstEntry()).getValue();
  }
}
