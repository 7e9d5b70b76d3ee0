package io.pgha.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL instance of its own for tests that need the real server: initdb into a temporary
 * directory, started as the postgres user when the tests run as root (PostgreSQL refuses root),
 * stopped (or crashed) by its PID and deleted afterwards. Listens on a free port of
 * {@code -Dpgha.test.pg.host} (default 127.0.0.1) or of the address given, with password (SCRAM)
 * logins over TCP and the superuser over its own unix socket. Needs PostgreSQL's server binaries
 * (Debian: postgresql-15).
 */
public final class ThrowawayPostgres implements AutoCloseable {
  public static final String HOST = System.getProperty("pgha.test.pg.host", "127.0.0.1");

  private final Path bin;
  private final Path dir;
  private final String host;
  private final int port;
  private final boolean root;
  private Process postmaster;

  public ThrowawayPostgres() throws Exception {
    this(HOST);
  }

  /** Listening on {@code host}, e.g. an address apart from a cluster's so both can run at once. */
  public ThrowawayPostgres(String host) throws Exception {
    this.host = host;
    bin = binDir();
    root = "root".equals(System.getProperty("user.name"));
    dir = Files.createTempDirectory("pgha-pgtest-");
    port = freePort(host);
    if (root) {
      UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(dir, postgres);
    }
    run(List.of(bin.resolve("initdb").toString(), "-D", data().toString(), "-U", "postgres", "--auth-local=trust",
        "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"));
    Files.writeString(data().resolve("postgresql.conf"), String.join("\n",
        "listen_addresses = '" + host + "'",
        "port = " + port,
        "unix_socket_directories = '" + dir + "'",
        "shared_buffers = 16MB",
        "max_connections = 20",
        "fsync = off",
        "shared_preload_libraries = 'pg_stat_statements'",
        "pg_stat_statements.track_planning = on",
        "") + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    // initdb lets password logins in from 127.0.0.1 only.
    Files.writeString(data().resolve("pg_hba.conf"), "host all all " + host + "/32 scram-sha-256\n",
        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    start();
    sql("CREATE EXTENSION pg_stat_statements");
  }

  public Path data() {
    return dir.resolve("data");
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/postgres";
  }

  public long pid() {
    return postmaster.pid();
  }

  public void start() throws Exception {
    // exec'd by setpriv, so the process we hold is the postmaster itself.
    ProcessBuilder pb = new ProcessBuilder(asPostgres(List.of(bin.resolve("postgres").toString(), "-D", data().toString())))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("postgres.log").toFile());
    postmaster = pb.start();
    for (int i = 0; i < 300; i++) {
      if (!postmaster.isAlive()) {
        throw new IllegalStateException("postgres exited: " + Files.readString(dir.resolve("postgres.log")));
      }
      if (new ProcessBuilder(asPostgres(List.of(bin.resolve("pg_isready").toString(), "-q", "-h", dir.toString(),
          "-p", Integer.toString(port)))).start().waitFor() == 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("postgres did not become ready: " + Files.readString(dir.resolve("postgres.log")));
  }

  /** Fast shutdown (SIGINT) of our postmaster, by its PID; it disconnects clients, unlike SIGTERM. */
  public void stop() throws Exception {
    if (postmaster == null || !postmaster.isAlive()) {
      return;
    }
    new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid())).start().waitFor();
    if (!postmaster.waitFor(30, TimeUnit.SECONDS)) {
      postmaster.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** SIGKILL to the postmaster, as a crash would; returns when it is gone. {@link #start()} brings it back. */
  public void kill() throws Exception {
    postmaster.destroyForcibly();
    if (!postmaster.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the postmaster " + postmaster.pid() + " still runs after SIGKILL");
    }
  }

  /** Runs SQL as the superuser over the unix socket; returns psql's unaligned output. */
  public String sql(String sql) throws Exception {
    return run(List.of(bin.resolve("psql").toString(), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", dir.toString(),
        "-p", Integer.toString(port), "-U", "postgres", "-d", "postgres", "-c", sql));
  }

  /**
   * Turns SSL on with this server certificate, key and CA (for client certificates), copied into
   * the data directory for the postgres user, and replaces the TCP rules of pg_hba.conf with
   * {@code hbaLines} (the superuser keeps its unix socket); then reloads.
   */
  public void enableSsl(Path cert, Path key, Path ca, String hbaLines) throws Exception {
    for (String[] file : new String[][] {{cert.toString(), "server.crt"}, {key.toString(), "server.key"}, {ca.toString(), "root.crt"}}) {
      Path to = data().resolve(file[1]);
      Files.copy(Path.of(file[0]), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      restrict(to);
      if (root) {
        Files.setOwner(to, to.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
      }
    }
    Path hba = data().resolve("pg_hba.conf");
    Files.writeString(hba, "local all all trust\n" + hbaLines + "\n", StandardCharsets.UTF_8);
    sql("ALTER SYSTEM SET ssl = on");
    sql("ALTER SYSTEM SET ssl_cert_file = 'server.crt'");
    sql("ALTER SYSTEM SET ssl_key_file = 'server.key'");
    sql("ALTER SYSTEM SET ssl_ca_file = 'root.crt'");
    sql("SELECT pg_reload_conf()");
    for (int i = 0; i < 100 && !"on".equals(sql("SHOW ssl")); i++) {
      Thread.sleep(50);
    }
  }

  /** A role with nothing but pg_monitor, as the cluster creates for exporters. */
  public void createMonitorRole(String name, String password) throws Exception {
    sql("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "' IN ROLE pg_monitor");
  }

  private String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(asPostgres(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
    return out.strip();
  }

  private List<String> asPostgres(List<String> command) {
    List<String> all = new ArrayList<>();
    if (root) {
      all.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
    }
    all.addAll(command);
    return all;
  }

  public static int freePort() throws IOException {
    return freePort(HOST);
  }

  public static int freePort(String host) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    }
  }

  private static Path binDir() throws IOException {
    String configured = System.getenv("PGHA_PG_BINDIR");
    if (configured != null) {
      return Path.of(configured);
    }
    Path base = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(base)) {
      try (Stream<Path> versions = Files.list(base)) {
        Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
            .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
            .orElse(null);
        if (newest != null) {
          return newest.resolve("bin");
        }
      }
    }
    throw new IllegalStateException("no PostgreSQL server binaries: install them (Debian: apt-get install -y postgresql-15)"
        + " or set PGHA_PG_BINDIR");
  }

  @Override
  public void close() throws Exception {
    try {
      stop();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  public static void restrict(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
  }
}
