package io.pgha.postgres;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One PostgreSQL member to monitor. {@code scope} and {@code member} are the labels every metric
 * carries, so PromQL can join with exporter-patroni. {@link #toString()} is what logs show: it
 * never contains credentials.
 *
 * @param jdbcUrl the JDBC URL without credentials
 * @param address host:port/database, for log lines
 * @param dataDirectory where {@code postmaster.pid} lives, when the exporter shares the host
 * @param ssl how the connection is encrypted and the server checked
 */
public record PostgresTarget(
    String scope, String member, String jdbcUrl, String address, Optional<Path> dataDirectory, PgSsl ssl) {

  /** A target with libpq's default SSL behaviour (prefer). */
  public PostgresTarget(String scope, String member, String jdbcUrl, String address, Optional<Path> dataDirectory) {
    this(scope, member, jdbcUrl, address, dataDirectory, PgSsl.DEFAULT);
  }

  /** The label values of a per-target series: scope, member, then {@code more}, as the families declare them. */
  public String[] labelValues(String... more) {
    String[] all = new String[2 + more.length];
    all[0] = scope;
    all[1] = member;
    System.arraycopy(more, 0, all, 2, more.length);
    return all;
  }

  @Override
  public String toString() {
    return scope + "/" + member + " (" + address + ")";
  }
}
