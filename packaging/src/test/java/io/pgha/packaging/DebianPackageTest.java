package io.pgha.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .deb as dpkg sees it: reproducible, root-owned, conffiles, hardened units, valid scripts. */
class DebianPackageTest {
  static final Path REPO = Path.of(System.getProperty("pgha.repo", "..")).toAbsolutePath().normalize();
  static final Path JAR = Path.of(System.getProperty("pgha.exporters.jar", "../exporters/target/pgha-exporters.jar"));
  static final String VERSION = System.getProperty("pgha.version", "0.1.0-SNAPSHOT");
  static final Instant TIME = Instant.parse(System.getProperty("pgha.build.epoch", "2026-01-01T00:00:00Z"));
  static final Path UNITS = REPO.resolve("packaging/src/deb/root/lib/systemd/system");
  static final List<String> EXPORTERS = List.of("patroni", "postgres", "etcd");

  @TempDir static Path first;
  @TempDir static Path second;
  static Path deb;

  @BeforeAll
  static void build() throws Exception {
    deb = new DebianPackage(REPO, VERSION, TIME).build(JAR, first);
  }

  @Test
  void twoBuildsOfTheSameSourcesGiveTheSameBytes() throws Exception {
    Path again = new DebianPackage(REPO, VERSION, TIME).build(JAR, second);
    assertThat(again.getFileName()).isEqualTo(deb.getFileName());
    assertThat(Files.mismatch(deb, again)).as("first differing byte").isEqualTo(-1L);
  }

  @Test
  void theFileNameAndControlFieldsFollowDebian() throws Exception {
    assertThat(deb.getFileName().toString()).isEqualTo("pgha-exporters_0.1.0~SNAPSHOT_all.deb");
    String control = dpkgDeb("--field", deb.toString());
    assertThat(control).contains("Package: pgha-exporters\n", "Version: 0.1.0~SNAPSHOT\n", "Architecture: all\n",
        "Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless, adduser\n")
        .containsPattern("Installed-Size: \\d{4,}\n");
  }

  @Test
  void everyFileIsRootsWithFixedModesAndTime() throws Exception {
    List<String> lines = dpkgDeb("--contents", deb.toString()).lines().toList();
    assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l)
        .containsPattern("^(drwxr-xr-x|-rw-r--r--) root/root .* 2026-01-01 00:00 \\./"));
    List<String> paths = lines.stream().map(l -> l.substring(l.indexOf(" ./") + 2)).toList();
    assertThat(paths).contains("/usr/share/pgha/pgha-exporters.jar", "/lib/systemd/system/pgha-exporter@.service",
        "/lib/systemd/system/pgha-exporters.service", "/etc/default/pgha-exporters",
        "/usr/share/pgha/dashboards/provisioning/dashboards/pgha.yml", "/usr/share/doc/pgha-exporters/copyright",
        "/usr/share/doc/pgha-exporters/changelog.gz");
    for (Path rules : io.pgha.alerts.RuleFiles.list(REPO.resolve("alerts/rules"))) {
      assertThat(paths).contains("/usr/share/pgha/alerts/rules/" + rules.getFileName());
    }
    for (Path dashboard : DebianPackage.files(REPO.resolve("dashboards/json"))) {
      assertThat(paths).contains("/usr/share/pgha/dashboards/json/" + dashboard.getFileName());
    }
    EXPORTERS.forEach(x -> assertThat(paths).contains("/etc/pgha/exporter-" + x + ".yml"));
  }

  @Test
  void theConfigurationsAreConffilesAndTheScriptsExecutable() throws Exception {
    Path control = first.resolve("control");
    run(List.of("dpkg-deb", "--control", deb.toString(), control.toString()));
    assertThat(Files.readAllLines(control.resolve("conffiles"))).containsExactly("/etc/default/pgha-exporters",
        "/etc/pgha/exporter-etcd.yml", "/etc/pgha/exporter-patroni.yml", "/etc/pgha/exporter-postgres.yml");
    for (String script : List.of("postinst", "prerm", "postrm")) {
      assertThat(control.resolve(script)).isExecutable();
      assertThat(run(List.of("sh", "-n", control.resolve(script).toString()))).as(script).isEmpty();
    }
  }

  @Test
  void theGrafanaProvisioningPointsAtTheInstalledDashboards() throws IOException {
    Path provisioning = first.resolve("deb/root/usr/share/pgha/dashboards/provisioning");
    assertThat(provisioning.resolve("dashboards/pgha.yml")).content().contains("path: /usr/share/pgha/dashboards/json");
    assertThat(provisioning.resolve("datasources/pgha-prometheus.yml")).content().contains("url: http://localhost:9090");
  }

  @Test
  void eachUnitIsHardenedChecksItsConfigurationFirstAndRunsAsPgha() throws IOException {
    for (SystemdUnit unit : List.of(template().instance("postgres"), allInOne())) {
      assertThat(unit.value("Service.User")).as(unit.name()).hasValue("pgha");
      assertThat(unit.value("Service.EnvironmentFile")).hasValue("/etc/default/pgha-exporters");
      Map.of("NoNewPrivileges", "yes", "ProtectSystem", "strict", "PrivateTmp", "yes", "ProtectHome", "yes",
          "ReadOnlyPaths", "/etc/pgha", "CapabilityBoundingSet", "", "RestartPreventExitStatus", "2")
          .forEach((k, v) -> assertThat(unit.value("Service." + k)).as(unit.name() + " " + k).hasValue(v));
      Map<String, String> env = Map.of("JAVA_OPTS", "-Xmx64m -XX:+UseSerialGC");
      List<String> start = unit.command("Service.ExecStart", env);
      List<String> check = unit.command("Service.ExecStartPre", env);
      assertThat(start.subList(0, 5)).containsExactly("/usr/bin/java", "-Xmx64m", "-XX:+UseSerialGC", "-jar",
          "/usr/share/pgha/pgha-exporters.jar");
      List<String> checked = new ArrayList<>(start);
      checked.add(5, "--config.check");
      assertThat(check).as("ExecStartPre checks what ExecStart runs").isEqualTo(checked);
    }
  }

  @Test
  void theAllInOneUnitRunsTheThreeInstancesCommandsAndConflictsWithThem() throws IOException {
    SystemdUnit all = allInOne();
    List<String> groups = new ArrayList<>();
    for (String x : EXPORTERS) {
      List<String> one = template().instance(x).command("Service.ExecStart", Map.of());
      groups.add(String.join(" ", one.subList(3, one.size())));
    }
    List<String> argv = all.command("Service.ExecStart", Map.of());
    assertThat(String.join(" ", argv.subList(3, argv.size()))).isEqualTo(String.join(" -- ", groups));
    assertThat(all.value("Unit.Conflicts")).hasValue(
        EXPORTERS.stream().map(x -> "pgha-exporter@" + x + ".service").collect(Collectors.joining(" ")));
    assertThat(template().value("Unit.Conflicts")).hasValue("pgha-exporters.service");
  }

  @Test
  void theEnvironmentFileGivesTheJvmTheOptionsOfPghaUp() throws IOException {
    Map<String, String> env = SystemdUnit.environmentFile(REPO.resolve("packaging/src/deb/root/etc/default/pgha-exporters"));
    assertThat(env).containsOnlyKeys("JAVA_OPTS");
    assertThat(template().instance("etcd").command("Service.ExecStart", env)).containsSubsequence("/usr/bin/java",
        "-Xms16m", "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:MaxMetaspaceSize=96m",
        "-XX:MaxHeapFreeRatio=40", "-XX:MinHeapFreeRatio=15", "-XX:TrimNativeHeapInterval=5000", "-jar");
  }

  static SystemdUnit template() throws IOException {
    return SystemdUnit.read(UNITS.resolve("pgha-exporter@.service"));
  }

  static SystemdUnit allInOne() throws IOException {
    return SystemdUnit.read(UNITS.resolve("pgha-exporters.service"));
  }

  private static String dpkgDeb(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("dpkg-deb"));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ":\n" + out).isZero();
    return out;
  }
}
