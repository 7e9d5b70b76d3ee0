package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.INFO;

import io.pgha.common.FamilyPoints;
import java.util.List;

/** What each member runs ({@code pgha_postgres_info}), from its settings. */
final class PgSettingsCollector extends SqlCollector<PgSettingsCollector.SettingsRow> {

  /** server_version carries the distribution's suffix ("15.18 (Debian 15.18-0+deb12u1)"): the number is enough. */
  static final String SQL = """
      SELECT split_part(current_setting('server_version'), ' ', 1) AS version,
             current_setting('server_version_num') AS server_version_num,
             current_setting('data_checksums') AS data_checksums,
             current_setting('archive_mode') AS archive_mode""";

  static final PgQuery<SettingsRow> QUERY = new PgQuery<>("settings", SQL, row -> new SettingsRow(
      row.text("version"), row.text("server_version_num"), row.text("data_checksums"), row.text("archive_mode")));

  record SettingsRow(String version, String serverVersionNum, String dataChecksums, String archiveMode) {}

  PgSettingsCollector(PostgresSampler sampler) {
    super(sampler, QUERY, INFO);
  }

  @Override
  void addPoints(FamilyPoints points, PostgresTarget target, List<SettingsRow> rows) {
    for (SettingsRow r : rows) {
      points.add(INFO, 1.0, target.labelValues(orEmpty(r.version()), orEmpty(r.serverVersionNum()),
          orEmpty(r.dataChecksums()), orEmpty(r.archiveMode())));
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
