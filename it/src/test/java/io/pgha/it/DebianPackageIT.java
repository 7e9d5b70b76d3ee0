package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.common.CoreMetrics;
import io.pgha.etcd.EtcdMetrics;
import io.pgha.lab.client.Http;
import io.pgha.lab.topology.Topology;
import io.pgha.packaging.DebianPackage;
import io.pgha.packaging.SystemdUnit;
import io.pgha.patroni.PatroniMetrics;
import io.pgha.postgres.PostgresMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The built .deb on this machine, as an admin would use it: {@code dpkg -i}; {@code systemd-analyze
 * verify} on its units; each exporter run the way its unit would (the unit's ExecStartPre and
 * ExecStart as written, with its EnvironmentFile, as its user pgha, with NoNewPrivileges) against
 * the test cluster, then the three in one JVM; a bad configuration failing the check with the key
 * named; an upgrade that keeps the admin's conffiles, a remove that keeps them too, and
 * {@code dpkg --purge}, always, after which no file of it is left (the user pgha stays, as
 * Debian's adduser advises). Prints the package's size and each exporter's resident memory.
 */
@PghaCluster.Test
class DebianPackageIT {
  private static final Path DEB_DIR = Path.of(System.getProperty("pgha.deb.dir", "../packaging/target"));
  private static final Path UNITS = Path.of("/lib/systemd/system");
  private static final Path ETC = Path.of("/etc/pgha");
  private static final String USER = "pgha";
  private static final List<String> EXPORTERS = List.of("patroni", "postgres", "etcd");
  private static final List<String> SCANNED = List.of("/etc", "/usr", "/lib/systemd", "/var/lib/dpkg/info", "/var/lib/systemd");
  private static final Duration COMMAND = Duration.ofMinutes(2);

  private final List<Process> running = new ArrayList<>();

  @Test
  void installsRunsEachUnitsCommandAgainstTheClusterAndPurgesClean(TestCluster cluster) throws Exception {
    cluster.awaitHealthy(Duration.ofSeconds(60));
    Path deb = builtPackage();
    System.out.printf("package %s: %.1f MB%n", deb.getFileName(), Files.size(deb) / 1e6);
    Set<String> before = pghaPaths();
    boolean userBefore = userExists();
    try {
      dpkg("-i", deb.toString());
      assertThat(userExists()).as("postinst creates the system user " + USER).isTrue();
      verifyUnits();

      Map<String, Integer> ports = ports(cluster.topology());
      writeSecret("pgha_monitor.password", cluster.password("pgha_monitor"));
      assertThat(run(allInOne().command("Service.ExecStartPre", environment())).exitCode())
          .as("the shipped example configurations pass the check").isZero();
      writeConfigs(cluster.topology(), ports);

      for (String exporter : EXPORTERS) {
        SystemdUnit unit = template().instance(exporter);
        ExternalCommand.Result check = run(unit.command("Service.ExecStartPre", environment()));
        assertThat(check.exitCode()).as(unit.name() + " ExecStartPre:\n" + check.output()).isZero();
        Process p = start(unit);
        checkMetrics(exporter, ports.get(exporter));
        System.out.printf("installed %s: %d MB resident%n", unit.name(), residentMb(p));
        stop(p);
      }

      SystemdUnit all = allInOne();
      assertThat(run(all.command("Service.ExecStartPre", environment())).exitCode()).isZero();
      Process p = start(all);
      EXPORTERS.forEach(x -> checkMetrics(x, ports.get(x)));
      System.out.printf("installed %s: %d MB resident%n", all.name(), residentMb(p));
      stop(p);

      Files.writeString(ETC.resolve("exporter-etcd.yml"), "etcd:\n  endpoints: [not a url]\n  scopes: [pgha]\n");
      ExternalCommand.Result bad = run(template().instance("etcd").command("Service.ExecStartPre", environment()));
      assertThat(bad.exitCode()).as(bad.output()).isEqualTo(2);
      assertThat(bad.stderr()).contains("etcd.endpoints[0]");

      Path edited = ETC.resolve("exporter-patroni.yml");
      String mine = Files.readString(edited);
      dpkg("-i", deb.toString());
      assertThat(edited).as("an upgrade keeps the admin's conffile").hasContent(mine);
      dpkg("-r", "pgha-exporters");
      assertThat(Path.of(DebianPackage.SHARE)).doesNotExist();
      assertThat(edited).as("remove keeps the configuration, purge takes it").hasContent(mine);
    } finally {
      running.forEach(Process::destroyForcibly);
      dpkg("--purge", "pgha-exporters");
    }
    Set<String> left = pghaPaths();
    left.removeAll(before);
    assertThat(left).as("files left after dpkg --purge").isEmpty();
    assertThat(userExists()).as("the system user stays after purge").isTrue();
    if (!userBefore) {
      assertThat(ExternalCommand.run(COMMAND, null, "deluser", "--system", "--quiet", USER).exitCode()).isZero();
      // The JVMs' perf data: a unit's PrivateTmp= would have taken it away.
      ExternalCommand.run(COMMAND, null, "rm", "-rf", "/tmp/hsperfdata_" + USER);
    }
  }

  private static Path builtPackage() throws IOException {
    try (Stream<Path> files = Files.list(DEB_DIR)) {
      List<Path> debs = files.filter(f -> f.getFileName().toString().matches("pgha-exporters_.*_all\\.deb")).toList();
      assertThat(debs).as("the package built by the packaging module in " + DEB_DIR).hasSize(1);
      return debs.get(0);
    }
  }

  /** dpkg, waiting while another dpkg or apt-get on the machine holds the lock. */
  private static void dpkg(String... args) throws InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("dpkg"));
    cmd.addAll(List.of(args));
    ExternalCommand.Result r = null;
    for (int attempt = 0; attempt < 30; attempt++) {
      r = ExternalCommand.run(COMMAND, null, cmd.toArray(String[]::new));
      if (r.exitCode() == 0 || !r.output().contains("lock")) {
        break;
      }
      Thread.sleep(2000);
    }
    assertThat(r.exitCode()).as(String.join(" ", cmd) + ":\n" + r.output()).isZero();
  }

  private static void verifyUnits() {
    List<String> cmd = new ArrayList<>(List.of("systemd-analyze", "verify"));
    EXPORTERS.forEach(x -> cmd.add(UNITS.resolve("pgha-exporter@" + x + ".service").toString()));
    cmd.add(UNITS.resolve("pgha-exporters.service").toString());
    ExternalCommand.Result r = ExternalCommand.run(COMMAND, null, cmd.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output().lines().filter(l -> l.contains("pgha"))).as("systemd-analyze verify's findings").isEmpty();
  }

  private static SystemdUnit template() throws IOException {
    return SystemdUnit.read(UNITS.resolve("pgha-exporter@.service"));
  }

  private static SystemdUnit allInOne() throws IOException {
    return SystemdUnit.read(UNITS.resolve("pgha-exporters.service"));
  }

  /** What systemd gives a unit with User=pgha, plus its EnvironmentFile. */
  private static Map<String, String> environment() throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin");
    env.put("HOME", "/nonexistent");
    env.put("USER", USER);
    env.put("LOGNAME", USER);
    env.put("SHELL", "/usr/sbin/nologin");
    env.putAll(SystemdUnit.environmentFile(Path.of(template().value("Service.EnvironmentFile").orElseThrow())));
    return env;
  }

  /** The command as the unit's user, without new privileges, in the unit's environment alone. */
  private static ProcessBuilder asUnitUser(List<String> argv) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups",
        "--no-new-privs", "--"));
    cmd.addAll(argv);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(Path.of("/").toFile());
    pb.environment().clear();
    pb.environment().putAll(environment());
    return pb;
  }

  private static ExternalCommand.Result run(List<String> argv) throws IOException, InterruptedException {
    ProcessBuilder pb = asUnitUser(argv);
    Path out = Files.createTempFile("pgha-deb-out-", ".txt");
    Path err = Files.createTempFile("pgha-deb-err-", ".txt");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(COMMAND.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(argv + " did not finish in " + COMMAND);
      }
      return new ExternalCommand.Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private Process start(SystemdUnit unit) throws IOException {
    Path log = Path.of(System.getProperty("pgha.it.logs", "target/pgha-it")).resolve(unit.name() + ".log");
    Files.createDirectories(log.getParent());
    Process p = asUnitUser(unit.command("Service.ExecStart", environment())).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    running.add(p);
    return p;
  }

  private void stop(Process p) throws InterruptedException {
    p.destroy();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the exporter stops on SIGTERM").isTrue();
    running.remove(p);
  }

  /** The key series of each exporter, once the cluster is seen whole. */
  private static void checkMetrics(String exporter, int port) {
    String url = "http://127.0.0.1:" + port + "/metrics";
    Http http = new Http(Duration.ofSeconds(5));
    org.awaitility.Awaitility.await(exporter).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .ignoreExceptions().until(() -> {
          MetricsPage page = MetricsPage.parse(http.get(url).body());
          return switch (exporter) {
            case "patroni" -> page.require(PatroniMetrics.UP.name(), "scope", "pgha") == 1
                && page.require(PatroniMetrics.CLUSTER_HAS_LEADER.name(), "scope", "pgha") == 1
                && page.all(PatroniMetrics.MEMBER_UP.name()).stream().filter(s -> s.value() == 1).count() == 3;
            case "postgres" -> page.all(PostgresMetrics.UP.name()).stream().filter(s -> s.value() == 1).count() == 3;
            case "etcd" -> page.require(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name()) == 1
                && page.require(EtcdMetrics.DCS_LEADER_KEY_PRESENT.name(), "scope", "pgha") == 1;
            default -> throw new IllegalArgumentException(exporter);
          };
        });
    assertThat(http.get(url).body()).contains(CoreMetrics.BUILD_INFO.name() + "{exporter=\"" + exporter + "\"");
  }

  private static Map<String, Integer> ports(Topology t) {
    // 9831-9833: beside the cluster's exporters (9811-9813) and the bench's helpers (9821-9825).
    return Map.of("patroni", t.exporters().patroni() + 20, "postgres", t.exporters().postgres() + 20,
        "etcd", t.exporters().etcd() + 20);
  }

  /** The cluster's members in the shipped configurations' shape, on ports of their own. */
  private static void writeConfigs(Topology t, Map<String, Integer> ports) throws IOException {
    String members = t.members().stream().map(Topology.Member::restUrl).collect(Collectors.joining(", "));
    String targets = t.members().stream().map(m -> "    - {scope: %s, member: %s, host: %s, port: %d, database: postgres}\n"
        .formatted(t.scope(), m.name(), m.host(), m.pgPort())).collect(Collectors.joining());
    String endpoints = t.etcd().stream().map(Topology.EtcdMember::clientUrl).collect(Collectors.joining(", "));
    // On the TLS cluster the package's user gets the CA and a client certificate of its own copy,
    // as an operator would install them: /etc/pgha, owner pgha, the key mode 600.
    String tls = "";
    String pgTls = "";
    if (t.secured()) {
      writeSecret("ca.crt", Files.readString(Path.of(t.tls().caFile())).strip());
      writeSecret("client.crt", Files.readString(Path.of(t.tls().certFile())).strip());
      writeSecret("client.key", Files.readString(Path.of(t.tls().keyFile())).strip());
      String files = "  %s: %s\n  %s: %s\n  %s: %s\n";
      tls = files.formatted("ca_file", ETC.resolve("ca.crt"), "cert_file", ETC.resolve("client.crt"),
          "key_file", ETC.resolve("client.key"));
      pgTls = "  sslmode: verify-full\n" + files.formatted("sslrootcert", ETC.resolve("ca.crt"),
          "sslcert", ETC.resolve("client.crt"), "sslkey", ETC.resolve("client.key"));
    }
    Files.writeString(ETC.resolve("exporter-patroni.yml"), "web:\n  listen_address: 127.0.0.1:%d\npatroni:\n"
        .formatted(ports.get("patroni")) + "  clusters:\n    - scope: %s\n      members: [%s]\n".formatted(t.scope(), members)
        + tls);
    Files.writeString(ETC.resolve("exporter-postgres.yml"), "web:\n  listen_address: 127.0.0.1:%d\npostgres:\n"
        .formatted(ports.get("postgres")) + "  username: pgha_monitor\n  password_file: %s\n  targets:\n%s"
        .formatted(ETC.resolve("pgha_monitor.password"), targets) + pgTls);
    Files.writeString(ETC.resolve("exporter-etcd.yml"), "web:\n  listen_address: 127.0.0.1:%d\netcd:\n"
        .formatted(ports.get("etcd")) + "  endpoints: [%s]\n  namespace: %s\n  scopes: [%s]\n"
        .formatted(endpoints, t.namespace(), t.scope()) + tls);
  }

  /** A secret as the package expects it: a file of its own, owner pgha, mode 600. */
  private static void writeSecret(String name, String secret) throws IOException {
    Path file = ETC.resolve(name);
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
    ExternalCommand.Result r = ExternalCommand.run(COMMAND, null, "chown", USER + ":" + USER, file.toString());
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  private static long residentMb(Process p) throws IOException {
    String status = Files.readString(Path.of("/proc", Long.toString(p.pid()), "status"));
    return status.lines().filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", ""))
        .mapToLong(Long::parseLong).findFirst().orElseThrow() / 1024;
  }

  private static boolean userExists() {
    return ExternalCommand.run(COMMAND, null, "getent", "passwd", USER).exitCode() == 0;
  }

  /** Every path with "pgha" in it where a package and its scripts put files. */
  private static Set<String> pghaPaths() {
    List<String> cmd = new ArrayList<>(List.of("find"));
    cmd.addAll(SCANNED);
    cmd.addAll(List.of("-path", "*pgha*"));
    ExternalCommand.Result r = ExternalCommand.run(COMMAND, null, cmd.toArray(String[]::new));
    return new TreeSet<>(r.stdout().lines().toList());
  }
}
