package io.pgha.bench;

import io.pgha.lab.deploy.HelperProcess;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Standbys without a database: {@code pg_receivewal} processes streaming WAL from the primary as
 * the replicator user. Each is one more walsender, one more row of pg_stat_replication with its
 * own application_name, which is what a standby costs exporter-postgres on the primary. They use
 * no replication slot: Patroni drops slots it does not manage.
 */
final class SimulatedStandbys implements AutoCloseable {
  static final String PG_RECEIVEWAL = "/usr/lib/postgresql/15/bin/pg_receivewal";

  private final List<HelperProcess> receivers;
  private final Path dir;
  private final Path pgpass;

  private SimulatedStandbys(List<HelperProcess> receivers, Path dir, Path pgpass) {
    this.receivers = receivers;
    this.dir = dir;
    this.pgpass = pgpass;
  }

  /**
   * Starts {@code count} receivers on {@code primary} and waits until pg_stat_replication shows
   * {@code expectedRows} streaming rows.
   */
  static SimulatedStandbys start(BenchContext c, Topology.Member primary, int count, int expectedRows)
      throws IOException, SQLException, InterruptedException {
    Path dir = c.dir.resolve("standbys");
    Path pgpass = new Secrets(c.dir).write("standbys.pgpass",
        "*:*:*:" + Secrets.REPLICATION + ":" + c.secrets.password(Secrets.REPLICATION) + "\n");
    List<HelperProcess> started = new ArrayList<>();
    SimulatedStandbys s = new SimulatedStandbys(started, dir, pgpass);
    try {
      for (int i = 1; i <= count; i++) {
        String name = "pgha-bench-standby-" + i;
        Path wal = Files.createDirectories(dir.resolve(name));
        started.add(HelperProcess.start(name, List.of(PG_RECEIVEWAL, "--no-loop", "--no-sync",
                "--no-password", "-D", wal.toString(),
                "-d", "host=" + primary.host() + " port=" + primary.pgPort() + " user="
                    + Secrets.REPLICATION + " application_name=" + name),
            Map.of("PGPASSFILE", pgpass.toString()), c.dir.resolve("logs").resolve(name + ".log")));
      }
      awaitStreaming(c, primary, expectedRows, started);
      return s;
    } catch (IOException | SQLException | InterruptedException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private static void awaitStreaming(BenchContext c, Topology.Member primary, int rows,
      List<HelperProcess> receivers) throws SQLException, InterruptedException, IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    try (Connection conn = c.db.connect(primary.host(), primary.pgPort(), Secrets.SUPERUSER);
         Statement st = conn.createStatement()) {
      while (true) {
        try (ResultSet r = st.executeQuery(
            "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")) {
          r.next();
          if (r.getInt(1) >= rows) {
            return;
          }
        }
        for (HelperProcess p : receivers) {
          if (!p.alive()) {
            throw new IOException(p.name() + " exited; see " + p.log());
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("pg_stat_replication on " + primary.name() + " does not show " + rows
              + " streaming standbys after 30 s");
        }
        Thread.sleep(200);
      }
    }
  }

  /** Stops every receiver and deletes the WAL they received and their password file. */
  @Override
  public void close() {
    receivers.forEach(HelperProcess::close);
    try {
      Files.deleteIfExists(pgpass);
    } catch (IOException ignored) {
      // mode 600 in the work dir, which `pgha down --wipe` removes
    }
    if (Files.isDirectory(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException ignored) {
        // left in the bench directory of the work dir, which `pgha down --wipe` removes
      }
    }
  }
}
