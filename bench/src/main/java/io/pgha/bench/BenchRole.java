package io.pgha.bench;

import io.pgha.lab.deploy.Database;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * The database role the bench's own exporters log in as: {@code pgha_bench}, a member of
 * pg_monitor only, like pgha_monitor. A role of their own is what lets pg_stat_statements tell
 * their statements from those of the cluster's exporters (which Prometheus keeps scraping).
 * The password is generated per run into a file (mode 600) and sent as a SCRAM verifier.
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

  static BenchRole create(Topology.Member leader, Database db, Path secretsDir)
      throws SQLException, IOException {
    String password = randomPassword();
    Path file = writeSecret(secretsDir, NAME + ".password", password);
    try (Connection c = db.connect(leader.host(), leader.pgPort(), Secrets.SUPERUSER);
         Statement s = c.createStatement()) {
      s.execute("""
          DO $$
          BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgha_bench') THEN
              CREATE ROLE pgha_bench LOGIN CONNECTION LIMIT 20 IN ROLE pg_monitor;
            END IF;
          END $$""");
      c.unwrap(PGConnection.class).alterUserPassword(NAME, password.toCharArray(), "scram-sha-256");
    }
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

  static String randomPassword() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom random = new SecureRandom();
    StringBuilder sb = new StringBuilder(32);
    for (int i = 0; i < 32; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  /** A file only its owner can read, in a directory only its owner can enter. */
  static Path writeSecret(Path dir, String name, String content) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Path f = dir.resolve(name);
    Files.deleteIfExists(f);
    Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(f, content, StandardCharsets.US_ASCII);
    return f;
  }
}
