package io.pgha.traffic;

import io.pgha.lab.deploy.Database;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.topology.ClusterFile;
import io.pgha.lab.topology.Topology;
import io.pgha.testkit.ThrowawayPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * testkit's {@link ThrowawayPostgres} made into what traffic runs against: the demo schema applied as
 * user {@code app}, and a work dir whose cluster.json points HAProxy's write and read ports straight
 * at the server (one member, pg-1), with the app password where {@code pgha up} keeps it.
 */
final class DemoDatabase implements AutoCloseable {

  private final ThrowawayPostgres postgres;
  private final String appPassword = UUID.randomUUID().toString();
  private final Path workdir;

  private DemoDatabase(ThrowawayPostgres postgres) throws Exception {
    this.postgres = postgres;
    this.workdir = Files.createTempDirectory("pgha-traffic-test-");
    Files.createDirectories(workdir.resolve("secrets"));
    Files.writeString(workdir.resolve("secrets/app.password"), appPassword + "\n");
    postgres.sql("CREATE ROLE app LOGIN PASSWORD '" + appPassword + "'");
    postgres.sql("GRANT CREATE ON SCHEMA public TO app");
    new Database(new Secrets(workdir)).applyDemoSchema(postgres.host(), postgres.port());
    Topology shape = Topology.of(workdir, 0);
    ClusterFile.write(new Topology(shape.scope(), shape.namespace(), 0, workdir.toString(), shape.etcd(),
        List.of(new Topology.Member("pg-1", postgres.host(), postgres.port(), shape.members().get(0).restPort(),
            postgres.data().toString())),
        new Topology.Haproxy(postgres.host(), postgres.port(), postgres.port(), shape.haproxy().statsPort()),
        shape.prometheus(), shape.alertmanager(), shape.exporters(), shape.receiver()));
  }

  static DemoDatabase start(String host) throws Exception {
    ThrowawayPostgres postgres = new ThrowawayPostgres(host);
    try {
      return new DemoDatabase(postgres);
    } catch (Exception | Error e) {
      postgres.close();
      throw e;
    }
  }

  /** A work dir with cluster.json (both HAProxy ports pointing at this server) and the app password. */
  Path workdir() {
    return workdir;
  }

  Connection connectAsApp() throws SQLException {
    return DriverManager.getConnection(postgres.jdbcUrl(), "app", appPassword);
  }

  /** SIGKILL to the postmaster, as a crash would. */
  void killPostmaster() throws Exception {
    postgres.kill();
  }

  void startServer() throws Exception {
    postgres.start();
  }

  @Override
  public void close() throws Exception {
    try {
      postgres.close();
    } finally {
      try (var paths = Files.walk(workdir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException ignored) {
        // a temporary directory left behind is harmless
      }
    }
  }
}
