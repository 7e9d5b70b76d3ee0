package io.pgha.bench;

import io.pgha.lab.deploy.Component;
import io.pgha.lab.deploy.Components;
import io.pgha.lab.deploy.ConfigFiles;
import io.pgha.lab.deploy.ExporterJvms;
import io.pgha.lab.deploy.HelperProcess;
import io.pgha.lab.deploy.Installation;
import io.pgha.lab.deploy.PortCheck;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Exporters the bench runs beside the cluster's own: Debian's postgres_exporter and a pgha
 * exporter-postgres, both watching only the primary and logged in as {@link BenchRole#NAME}, the
 * cluster's three the other way, and the three of a simulated site in one JVM. Ports are the
 * cluster's offset plus fixed numbers (postgres_exporter's default 9187, then 9822-9828 beside
 * pgha's 9811-9814), so benches on clusters of different offsets do not meet.
 */
final class BenchExporters {
  static final String POSTGRES_EXPORTER = "/usr/bin/prometheus-postgres-exporter";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Topology t;
  private final Path dir;
  private final Installation installation;

  BenchExporters(Topology topology, Path benchDir, Installation installation) {
    this.t = topology;
    this.dir = benchDir;
    this.installation = installation;
  }

  String host() {
    return t.haproxy().host();
  }

  int postgresExporterPort() {
    return 9187 + t.offset();
  }

  int pghaPostgresPort() {
    return 9822 + t.offset();
  }

  /** The port of the bench's exporter-patroni that reads the members on each scrape. */
  int pghaPatroniOnScrapePort() {
    return 9829 + t.offset();
  }

  /** Ports of the cluster's three exporters as the bench runs them the other way: patroni, postgres, etcd. */
  int[] otherWayPorts() {
    return new int[] {9823 + t.offset(), 9824 + t.offset(), 9825 + t.offset()};
  }

  /** Ports of the three exporters of a simulated site, in one JVM: patroni, postgres, etcd. */
  int[] sitePorts() {
    return new int[] {9826 + t.offset(), 9827 + t.offset(), 9828 + t.offset()};
  }

  URI metricsUrl(int port) {
    return URI.create("http://" + host() + ":" + port + "/metrics");
  }

  /** Debian's postgres_exporter on the primary; the password reaches it as a file, never a flag. */
  HelperProcess postgresExporter(Topology.Member primary, Path passwordFile)
      throws IOException, InterruptedException {
    int port = free(postgresExporterPort(), "postgres_exporter");
    HelperProcess p = HelperProcess.start("postgres_exporter",
        List.of(POSTGRES_EXPORTER, "--web.listen-address=" + host() + ":" + port, "--log.level=info"),
        Map.of("DATA_SOURCE_URI", primary.host() + ":" + primary.pgPort() + "/postgres?" + t.libpqSslQuery(),
            "DATA_SOURCE_USER", BenchRole.NAME,
            "DATA_SOURCE_PASS_FILE", passwordFile.toString()),
        dir.resolve("logs").resolve("postgres_exporter.log"));
    return started(p, port);
  }

  /** A pgha exporter-postgres with the primary as its only target, run as `pgha up` runs exporters. */
  HelperProcess pghaPostgres(Topology.Member primary, Path passwordFile)
      throws IOException, InterruptedException {
    int port = free(pghaPostgresPort(), "pgha exporter-postgres (primary only)");
    Path config = dir.resolve("exporter-postgres-primary.yml");
    Files.writeString(config, ConfigFiles.exporterPostgres(host(), port, BenchRole.NAME, passwordFile, t.scope(),
        List.of(primary)));
    return started(java("exporter-postgres-primary", "postgres", config), port);
  }

  /**
   * A pgha exporter-patroni watching the cluster's members as `pgha up`'s does, but without
   * {@code refresh_interval}: it reads them on each scrape. On a TLS cluster it shows the pgha client
   * certificate to Patroni; it serves plain HTTP itself, as the bench's other instances do.
   */
  HelperProcess pghaPatroniOnScrape() throws IOException, InterruptedException {
    int port = free(pghaPatroniOnScrapePort(), "pgha exporter-patroni (on each scrape)");
    Path config = dir.resolve("exporter-patroni-on-scrape.yml");
    Files.writeString(config, ConfigFiles.exporterPatroni(host(), port,
        Map.of(t.scope(), t.members().stream().map(Topology.Member::restUrl).toList()), Optional.empty())
        + ConfigFiles.clientFiles(t, "ca_file", "cert_file", "key_file"));
    return started(java("exporter-patroni-on-scrape", "patroni", config), port);
  }

  /**
   * The cluster's three exporters, with its own configuration files, on ports of their own, run
   * the other way than {@code deployed}: in one JVM ({@code pgha-exporters.jar}) when the cluster
   * runs one JVM each, one JVM each when it runs them in one.
   */
  List<HelperProcess> otherWay(ExporterJvms deployed) throws IOException, InterruptedException {
    int[] ports = otherWayPorts();
    List<List<String>> groups = new ArrayList<>();
    for (int i = 0; i < Components.EXPORTERS.size(); i++) {
      String x = Components.EXPORTERS.get(i);
      Path config = t.workdirPath().resolve("config").resolve(Components.exporterName(x) + ".yml");
      int port = free(ports[i], "pgha exporter-" + x + " (the other way)");
      groups.add(List.of("--config", config.toString(), "--web.listen-address=" + host() + ":" + port,
          "--web.config.file=" + plainWebConfig()));
    }
    List<HelperProcess> running = new ArrayList<>();
    try {
      if (deployed == ExporterJvms.SEPARATE) {
        running.add(java("exporters-one-jvm", installation.exportersJar(), Components.launcherGroups(groups)));
      } else {
        for (int i = 0; i < groups.size(); i++) {
          String x = Components.EXPORTERS.get(i);
          running.add(java(Components.exporterName(x) + "-own-jvm", installation.exporterJar(x), groups.get(i)));
        }
      }
      for (int i = 0; i < ports.length; i++) {
        running.get(Math.min(i, running.size() - 1)).awaitListening(host(), ports[i], START_TIMEOUT);
      }
      return running;
    } catch (IOException | InterruptedException e) {
      running.forEach(HelperProcess::close);
      throw e;
    }
  }

  /**
   * A large site's exporters in one JVM ({@code pgha-exporters.jar}, as {@code pgha up} runs them):
   * exporter-patroni watching the simulated scopes' REST APIs, exporter-postgres with {@code targets}
   * logged in as {@link BenchRole#NAME}, exporter-etcd watching the scopes on the cluster's etcd.
   */
  HelperProcess site(Map<String, List<String>> patroniMembers, List<ConfigFiles.PostgresTarget> targets,
      Path passwordFile, String etcdNamespace, List<String> etcdScopes) throws IOException, InterruptedException {
    int[] ports = sitePorts();
    String[] yaml = {
        ConfigFiles.exporterPatroni(host(), ports[0], patroniMembers),
        ConfigFiles.exporterPostgres(host(), ports[1], BenchRole.NAME, passwordFile, targets),
        // On a TLS cluster its etcd wants a client certificate; the simulated REST APIs and the
        // bench's role on PostgreSQL stay plain.
        ConfigFiles.exporterEtcd(host(), ports[2], t.etcd().stream().map(Topology.EtcdMember::clientUrl).toList(),
            etcdNamespace, etcdScopes) + ConfigFiles.clientFiles(t, "ca_file", "cert_file", "key_file")};
    List<List<String>> groups = new ArrayList<>();
    for (int i = 0; i < Components.EXPORTERS.size(); i++) {
      String x = Components.EXPORTERS.get(i);
      free(ports[i], "pgha exporter-" + x + " (simulated site)");
      Path config = dir.resolve(Components.exporterName(x) + "-site.yml");
      Files.writeString(config, yaml[i]);
      groups.add(List.of("--config", config.toString()));
    }
    HelperProcess p = java("exporters-site", installation.exportersJar(), Components.launcherGroups(groups));
    try {
      for (int port : ports) {
        p.awaitListening(host(), port, START_TIMEOUT);
      }
      return p;
    } catch (IOException | InterruptedException e) {
      p.close();
      throw e;
    }
  }

  /**
   * An empty web config: plain HTTP without login, whatever the cluster's files say, so the bench
   * scrapes its own instances as it scrapes its other helpers (the cluster's exporters show TLS).
   */
  private Path plainWebConfig() throws IOException {
    Path file = dir.resolve("web-plain.yml");
    Files.writeString(file, "# pgha bench: its own exporter instances serve plain HTTP\n");
    return file;
  }

  private HelperProcess java(String name, String exporter, Path config) throws IOException {
    return java(name, installation.exporterJar(exporter), List.of("--config", config.toString()));
  }

  private HelperProcess java(String name, Path jar, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(installation.javaBin().toString()));
    cmd.addAll(Components.exporterJvmOptions());
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(args);
    return HelperProcess.start(name, cmd, Map.of(), dir.resolve("logs").resolve(name + ".log"));
  }

  private HelperProcess started(HelperProcess p, int port) throws IOException, InterruptedException {
    try {
      p.awaitListening(host(), port, START_TIMEOUT);
      return p;
    } catch (IOException | InterruptedException e) {
      p.close();
      throw e;
    }
  }

  private int free(int port, String what) {
    if (!PortCheck.free(new Component.Port(host(), port, what))) {
      throw new IllegalStateException("port " + host() + ":" + port + " (" + what
          + ") is already in use: is another pgha bench running on this work dir?");
    }
    return port;
  }

  /** {@code prometheus-postgres-exporter --version}: "postgres_exporter, version 0.11.1 (branch: ...". */
  static String postgresExporterVersion() {
    String line = Versions.firstLine(POSTGRES_EXPORTER, "--version");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("version (\\S+)").matcher(line);
    return m.find() ? m.group(1) : line;
  }
}
