package io.pgha.traffic;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL 15 of its own for a test: initdb into a fresh directory, start on a loopback address,
 * the demo schema applied as user {@code app}, and a work dir whose cluster.json points HAProxy's write
 * and read ports straight at it. Runs as the {@code postgres} user when the test runs as root (PostgreSQL
 * refuses root). Stopped by PID, directory removed, on {@link #close()}.
 */
final class ThrowawayPostgres implements AutoCloseable {

  static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

  private final Path root;
  private final Path data;
  private final String host;
  private final int port;
  private final String appPassword = UUID.randomUUID().toString();
  private final boolean asPostgresUser;

  private ThrowawayPostgres(Path root, String host, int port, boolean asPostgresUser) {
    this.root = root;
    this.data = root.resolve("data");
    this.host = host;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  static ThrowawayPostgres start(String host) throws Exception {
    if (!Files.isExecutable(BIN.resolve("initdb"))) {
      throw new IllegalStateException(BIN.resolve("initdb") + " missing: apt-get install -y postgresql-15");
    }
    boolean root = "0".equals(output("id", "-u"));
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "pgha-traffic-test-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    ThrowawayPostgres pg = new ThrowawayPostgres(dir, host, freePort(host), root);
    try {
      pg.initAndStart();
      return pg;
    } catch (Exception | Error e) {
      pg.close();
      throw e;
    }
  }

  private void initAndStart() throws Exception {
    Path superPassword = root.resolve("super.password");
    Files.writeString(superPassword, appPassword + "-super\n");
    if (asPostgresUser) {
      run("chown", "-R", "postgres:postgres", root.toString());
    }
    runAsOwner(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth-local=trust",
        "--auth-host=scram-sha-256", "--pwfile=" + superPassword, "--no-sync");
    Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
        "listen_addresses = '" + host + "'", "port = " + port, "unix_socket_directories = '" + root + "'",
        "max_connections = 20", "shared_buffers = 16MB", ""), java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(data.resolve("pg_hba.conf"), "host all all " + host + "/32 scram-sha-256\n",
        java.nio.file.StandardOpenOption.APPEND);
    startServer();
    try (Connection superuser = DriverManager.getConnection(url(), "postgres", appPassword + "-super");
         Statement statement = superuser.createStatement()) {
      statement.execute("CREATE ROLE app LOGIN PASSWORD '" + appPassword + "'");
      statement.execute("GRANT CREATE ON SCHEMA public TO app");
    }
    try (Connection app = DriverManager.getConnection(url(), "app", appPassword);
         Statement statement = app.createStatement();
         InputStream schema = getClass().getResourceAsStream("/sql/demo-schema.sql")) {
      statement.execute(new String(schema.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  void startServer() throws Exception {
    runAsOwner(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", root.resolve("log").toString(),
        "-w", "-t", "30", "start");
  }

  /** The postmaster's PID, from postmaster.pid. */
  long postmasterPid() throws IOException {
    return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
  }

  /** SIGKILL to the postmaster, as a crash would; waits until it is gone. */
  void killPostmaster() throws Exception {
    ProcessHandle postmaster = ProcessHandle.of(postmasterPid()).orElseThrow();
    postmaster.destroyForcibly();
    postmaster.onExit().get(10, TimeUnit.SECONDS);
  }

  /** A work dir with cluster.json (both HAProxy ports pointing at this server) and the app password. */
  Path workdir() throws IOException {
    Path workdir = root.resolve("workdir");
    Files.createDirectories(workdir.resolve("secrets"));
    Files.writeString(workdir.resolve("secrets/app.password"), appPassword + "\n");
    Files.writeString(workdir.resolve("cluster.json"), """
        {"scope":"pgha","members":[{"name":"pg-1","host":"%1$s","pg_port":%2$d}],
         "haproxy":{"host":"%1$s","write_port":%2$d,"read_port":%2$d,"stats_port":7001}}
        """.formatted(host, port));
    return workdir;
  }

  String url() {
    return "jdbc:postgresql://" + host + ":" + port + "/postgres";
  }

  String appPassword() {
    return appPassword;
  }

  @Override
  public void close() throws Exception {
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        ProcessHandle.of(postmasterPid()).ifPresent(postmaster -> {
          postmaster.destroy();
          try {
            postmaster.onExit().get(20, TimeUnit.SECONDS);
          } catch (Exception e) {
            postmaster.destroyForcibly();
          }
        });
      }
    } finally {
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  private void runAsOwner(String... command) throws Exception {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
    }
    full.addAll(List.of(command));
    run(full.toArray(String[]::new));
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
    }
  }

  private static String output(String... command) throws Exception {
    Process process = new ProcessBuilder(command).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    process.waitFor(10, TimeUnit.SECONDS);
    return output;
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    }
  }
}
