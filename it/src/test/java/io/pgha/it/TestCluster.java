package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.lab.client.HaproxyRuntime;
import io.pgha.lab.client.Http;
import io.pgha.lab.client.PrometheusApi;
import io.pgha.lab.deploy.ConfigFiles;
import io.pgha.lab.deploy.Installation;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.deploy.Supervisor;
import io.pgha.lab.faults.ClusterFaults;
import io.pgha.lab.faults.NetworkFaults;
import io.pgha.lab.status.ClusterState;
import io.pgha.lab.status.ClusterStateReader;
import io.pgha.lab.topology.ClusterFile;
import io.pgha.lab.topology.Topology;
import io.pgha.testkit.Pause;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Handle on the integration tests' cluster (see {@link PghaCluster}): where it is, how to connect,
 * and how to break and heal it. Tests that stop something must {@link #heal()} before they end.
 *
 * <ul>
 *   <li>{@link #topology()}: cluster.json (addresses, ports, data dirs); {@link #clusterJson()} its text.
 *   <li>{@link #exporterUrl}: the exporters' {@code /metrics}; lab's {@code Http} (and {@link ExporterScrape},
 *       {@link MetricsPage}) reach it on the TLS cluster too.
 *   <li>{@link #writeUrl()}, {@link #readUrl()}: JDBC URLs through HAProxy; {@link #connectWrite},
 *       {@link #connectRead}, {@link #connectMember}; {@link #password} for any generated user.
 *   <li>{@link #pgha}: runs the real CLI against this cluster.
 *   <li>{@link #stopPatroni}, {@link #killPatroni}, {@link #stopEtcd}, {@link #killEtcd}: faults
 *       by PID; {@link #heal()} restarts whatever is stopped and waits until all is ready;
 *       {@link #awaitHealthy} waits for {@code pgha status} to report healthy.
 *   <li>{@link #freezeWalReceiver}, {@link #failStart}, {@link #haproxyRuntime}: faults {@code up}
 *       cannot undo; close what they return.
 * </ul>
 */
public final class TestCluster implements AutoCloseable {
  /** Work dir of the test cluster: {@code -Dpgha.it.workdir}, default /tmp/pgha-it. */
  public static final String WORKDIR = System.getProperty("pgha.it.workdir", "/tmp/pgha-it");
  /** Port offset of the test cluster: {@code -Dpgha.it.offset}, default 10000. */
  public static final int OFFSET = Integer.getInteger("pgha.it.offset", 10000);
  /** Database the demo tables live in. */
  public static final String DATABASE = "postgres";
  /**
   * Whether the shared test cluster runs with {@code pgha up --tls} ({@code -Dpgha.it.tls}, default
   * true: the secured path is what the suite proves; {@code false} runs it plain). The other mode is
   * proven on a twin cluster ({@link TwinCluster}: {@link PlainClusterIT} or {@link TlsClusterIT}).
   * lab's clients and these helpers reach it the same either way.
   */
  public static final boolean TLS = Boolean.parseBoolean(System.getProperty("pgha.it.tls", "true"));

  private static final Duration CLI_TIMEOUT = Duration.ofMinutes(5);

  private final Path workdir = Path.of(WORKDIR);
  private final Path cliJar;
  private final Path home;
  private final Path logs;
  private final AtomicBoolean closed = new AtomicBoolean();
  private Topology topology;

  /** Output of one CLI run. */
  public record CliResult(int exitCode, String stdout, String stderr) {
    public String output() {
      return stdout + stderr;
    }
  }

  private TestCluster() {
    this.home = Path.of(required("pgha.home"));
    this.cliJar = Path.of(required("pgha.cli.jar"));
    this.logs = Path.of(System.getProperty("pgha.it.logs", "target/pgha-it"));
  }

  /** The CLI runner alone, for a test that sets up a cluster of its own (its own --workdir and --offset). */
  static TestCluster cliOnly() {
    return new TestCluster();
  }

  static TestCluster start() {
    TestCluster c = new TestCluster();
    Runtime.getRuntime().addShutdownHook(new Thread(c::close, "pgha-it-down"));
    // A run cut short earlier may have left its cluster behind: start from nothing.
    c.pgha("down", "--wipe");
    CliResult up = TLS ? c.pgha("up", "--tls") : c.pgha("up");
    System.out.println(up.output());
    if (up.exitCode() != 0) {
      c.close();
      throw new IllegalStateException("pgha up failed (exit " + up.exitCode() + "):\n" + up.output());
    }
    c.topology = c.readTopology();
    return c;
  }

  /** {@code pgha down --wipe}; runs once, from JUnit's root store or the shutdown hook. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      keepLogs();
      CliResult down = pgha("down", "--wipe");
      System.out.println(down.output());
    }
  }

  /** The work dir is wiped at the end: its logs go to target/pgha-it/logs first. */
  private void keepLogs() {
    Path from = workdir.resolve("logs");
    Path to = logs.resolve("logs");
    if (!Files.isDirectory(from)) {
      return;
    }
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      System.err.println("could not keep the cluster logs: " + e);
    }
  }

  // ---- where things are ----

  public Topology topology() {
    return topology;
  }

  public String clusterJson() {
    try {
      return Files.readString(ClusterFile.path(workdir), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path workdir() {
    return workdir;
  }

  /** JDBC URL of the write port (on the TLS cluster: sslmode verify-full against its CA). */
  public String writeUrl() {
    return topology.jdbcUrl(topology.haproxy().host(), topology.haproxy().writePort(), DATABASE);
  }

  public String readUrl() {
    return topology.jdbcUrl(topology.haproxy().host(), topology.haproxy().readPort(), DATABASE);
  }

  /** {@code /metrics} of exporter {@code patroni}, {@code postgres} or {@code etcd} (lab's clients log in to it). */
  public String exporterUrl(String exporter) {
    return topology.exporters().metricsUrl(exporter);
  }

  /** Generated password of postgres, replicator, pgha_monitor, app (or patroni, the REST user). */
  public String password(String user) {
    return new Secrets(workdir).password(user);
  }

  public Connection connectWrite(String user) throws SQLException {
    return connect(writeUrl(), user);
  }

  public Connection connectRead(String user) throws SQLException {
    return connect(readUrl(), user);
  }

  /** Straight to one member's PostgreSQL, bypassing HAProxy. */
  public Connection connectMember(String member, String user) throws SQLException {
    Topology.Member m = topology.member(member);
    return connect(topology.jdbcUrl(m.host(), m.pgPort(), DATABASE), user);
  }

  public Connection connect(String url, String user) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password(user));
    p.setProperty("connectTimeout", "5");
    p.setProperty("socketTimeout", "30");
    return DriverManager.getConnection(url, p);
  }

  /** The cluster as {@code pgha status} sees it. */
  public ClusterState state() {
    return new ClusterStateReader(new Http()).read(topology);
  }

  /** PID of a running component (etcd-1, pg-1, haproxy, prometheus, exporters: the three exporters in one JVM...). */
  public OptionalLong pid(String component) {
    return new Supervisor(workdir).pid(component);
  }

  // ---- the CLI ----

  /** Runs {@code pgha SUBCOMMAND --workdir WORKDIR --offset OFFSET ARGS...} and waits. */
  public CliResult pgha(String subcommand, String... args) {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", cliJar.toString(), subcommand,
        "--workdir", WORKDIR, "--offset", Integer.toString(OFFSET)));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  /** Runs the CLI with exactly these arguments (no --workdir/--offset added). */
  public CliResult pghaRaw(String... args) {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", cliJar.toString()));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  private CliResult run(List<String> cmd) {
    try {
      Files.createDirectories(logs);
      Path out = Files.createTempFile(logs, "cli-", ".out");
      Path err = Files.createTempFile(logs, "cli-", ".err");
      // Files, not pipes: the CLI starts daemons that inherit its stdout, and surefire's own
      // stdout must not be written to by child processes.
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile())
          .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().put("PGHA_HOME", home.toString());
      pb.environment().remove("PGPASSWORD");
      Process p = pb.start();
      if (!p.waitFor(CLI_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("pgha " + cmd + " did not finish in " + CLI_TIMEOUT);
      }
      CliResult r = new CliResult(p.exitValue(), Files.readString(out), Files.readString(err));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---- faults and healing ----

  /** SIGTERM to a member's Patroni: it stops its PostgreSQL and exits (a clean shutdown). */
  public void stopPatroni(String member) {
    fault(f -> f.stopMember(member));
  }

  /** SIGKILL to a member's Patroni, its postmaster and the postmaster's children: the host "crashes". */
  public void killPatroni(String member) {
    fault(f -> f.killMember(member));
  }

  public void stopEtcd(String name) {
    fault(f -> f.stopEtcd(List.of(name)));
  }

  public void killEtcd(String name) {
    fault(f -> f.killEtcd(name));
  }

  /** SIGTERM to the exporters' JVM; {@link #heal} starts it again. */
  public void stopExporters() {
    fault(ClusterFaults::stopExporters);
  }

  /** {@code pgha up}: restarts every stopped component and waits until the cluster is ready. */
  public void heal() {
    CliResult up = pgha("up");
    System.out.println(up.output());
    assertThat(up.exitCode()).as("pgha up (heal):\n%s", up.output()).isZero();
  }

  /** Waits until {@code pgha status} would exit 0. */
  public void awaitHealthy(Duration timeout) {
    fault(f -> f.awaitHealthy(timeout));
  }

  /**
   * SIGSTOP to a replica's WAL receiver: it falls behind while the leader writes. Close the result
   * (SIGCONT) before the test ends.
   */
  public ClusterFaults.Undo freezeWalReceiver(String member) {
    return faults().freezeWalReceiver(member);
  }

  /**
   * Gives a member a parameter its PostgreSQL refuses and restarts it: it stays in start failed.
   * Close the result (the configuration back, reloaded) before the test ends.
   */
  public ClusterFaults.Undo failStart(String member) throws IOException {
    return faults().failStart(member);
  }

  /**
   * lab's network faults on this cluster (needs root and the members in their cgroups). Each call
   * gives a new instance: keep it, and {@code heal()} it before the test ends (a shutdown hook and
   * the next {@code pgha up} or {@code down} remove its rules should the JVM die first).
   */
  public NetworkFaults network() {
    return faults().network();
  }

  /** HAProxy's runtime API (force a server's state, switch its checks off and on). */
  public HaproxyRuntime haproxyRuntime() {
    return new HaproxyRuntime(topology.haproxySocket());
  }

  /** PID of a member's postmaster, from postmaster.pid in its data dir. */
  public OptionalLong postmasterPid(String member) {
    return faults().postmasterPid(member);
  }

  /** The repository, the JVM and the CLI jar under test: what the cluster's JVMs run from. */
  public Installation installation() {
    return new Installation(home, Path.of(javaBin()), cliJar);
  }

  /** lab's faults, the ones the drills and the bench cause too (heal() above goes through the CLI). */
  private ClusterFaults faults() {
    return new ClusterFaults(topology, installation());
  }

  private interface Fault {
    void on(ClusterFaults faults) throws InterruptedException;
  }

  private void fault(Fault fault) {
    try {
      fault.on(faults());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Topology readTopology() {
    return ClusterFile.read(workdir).orElseThrow(
        () -> new IllegalStateException("pgha up wrote no cluster.json in " + workdir));
  }

  private static String javaBin() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  private static String required(String property) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException("system property " + property + " is not set (run through Maven)");
    }
    return v;
  }
}
