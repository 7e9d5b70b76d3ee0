package io.pgha.postgres;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Records the rows every collector's query returns on a live member, as CSV files the golden-text
 * tests read back ({@link CsvRows}). Not a test: run it by hand, see fixtures/README.md.
 *
 * <pre>java -cp target/pgha-exporter-postgres.jar:target/test-classes io.pgha.postgres.FixtureRecorder \
 *   jdbc:postgresql://127.0.3.1:5432/postgres pgha_monitor /path/to/password src/test/resources/fixtures/primary \
 *   [collector...]</pre>
 *
 * <p>With collector names after the directory, only their queries are recorded.
 */
public final class FixtureRecorder {
  static final List<PgQuery<?>> QUERIES = List.of(
      PgRecoveryCollector.QUERY, PgStatReplicationCollector.QUERY, PgStatWalReceiverCollector.QUERY,
      PgReplicationSlotsCollector.QUERY, PgStatActivityCollector.QUERY, PgStatWalCollector.QUERY,
      PgDatabaseCollector.QUERY, PgSettingsCollector.QUERY, PgStatArchiverCollector.QUERY,
      PgWalDirectoryCollector.QUERY, PgDatabaseAgeCollector.QUERY, PgTransactionAgeCollector.QUERY,
      PgStatDatabaseCollector.QUERY, PgCheckpointerCollector.QUERY);

  private FixtureRecorder() {}

  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.setProperty("user", args[1]);
    props.setProperty("password", Files.readString(Path.of(args[2])).strip());
    Path out = Path.of(args[3]);
    Files.createDirectories(out);
    List<String> only = List.of(args).subList(4, args.length);
    try (Connection c = new Driver().connect(args[0], props); Statement st = c.createStatement()) {
      int version = c.getMetaData().getDatabaseMajorVersion() * 10000 + c.getMetaData().getDatabaseMinorVersion();
      for (PgQuery<?> q : QUERIES) {
        if (!only.isEmpty() && !only.contains(q.name())) {
          continue;
        }
        var sql = q.sql(version);
        if (sql.isPresent()) {
          try (ResultSet rs = st.executeQuery(sql.get())) {
            Files.writeString(out.resolve(q.name() + ".csv"), csv(rs), StandardCharsets.UTF_8);
          }
        }
      }
    }
  }

  /** The same shape as {@code psql --csv}: NULL is an empty field, an empty string is "". */
  static String csv(ResultSet rs) throws Exception {
    StringBuilder sb = new StringBuilder();
    ResultSetMetaData md = rs.getMetaData();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      sb.append(i > 1 ? "," : "").append(md.getColumnLabel(i));
    }
    sb.append('\n');
    while (rs.next()) {
      for (int i = 1; i <= md.getColumnCount(); i++) {
        String v = rs.getString(i);
        sb.append(i > 1 ? "," : "");
        if (v != null) {
          sb.append(v.isEmpty() || v.contains(",") || v.contains("\"") ? '"' + v.replace("\"", "\"\"") + '"' : v);
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
