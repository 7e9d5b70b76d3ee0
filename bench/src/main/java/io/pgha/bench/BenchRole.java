package io.pgha.bench;

import io.pgha.lab.deploy.Database;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database role the bench's own exporters log in as: {@code pgha_bench}, a member of
 * pg_monitor only, like pgha_monitor. A role of their own is what lets pg_stat_statements tell
 * their statements from those of the cluster's exporters (which Prometheus keeps scraping).
 * The password is generated per run into {@code <workdir>/bench/secrets} (mode 600) and sent as a
 * SCRAM verifier.
 */
final class BenchRole {
  static final String NAME = "pgha_bench";

  private final Path passwordFile;

  private BenchRole(Path passwordFile) {
    this.passwordFile = passwordFile;
  }

  Path passwordFile() {
    return passwordFile;
  }

  static BenchRole create(Topology.Member leader, Database db, Path benchDir) throws SQLException, IOException {
    Secrets own = new Secrets(benchDir);
    Path file = own.generate(NAME);
    db.ensureMonitorRole(leader.host(), leader.pgPort(), NAME, own.password(NAME));
    return new BenchRole(file);
  }

  /** Drops the role once nothing is logged in as it any more; best effort. */
  void drop(Topology.Member leader, Database db) {
    try (Connection c = db.connect(leader.host(), leader.pgPort(), Secrets.SUPERUSER);
         Statement s = c.createStatement()) {
      s.execute("DROP ROLE IF EXISTS " + NAME);
    } catch (SQLException e) {
      // Left behind, it is a harmless pg_monitor member with a password nobody knows any more.
    }
    try {
      Files.deleteIfExists(passwordFile);
    } catch (IOException ignored) {
      // the whole bench directory is removed with the work dir
    }
  }
}
