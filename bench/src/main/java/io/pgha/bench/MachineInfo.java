package io.pgha.bench;

import io.pgha.lab.deploy.Database;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.client.Http;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Where the figures were measured: the machine, its load, and the versions of what was measured. */
public record MachineInfo(Instant date, int cores, String cpu, double memoryGib, String os,
    String kernel, Map<String, String> versions) {

  static MachineInfo read(Topology t, Topology.Member leader, Database db, Path repoHome) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("pgha", Versions.firstLine("git", "-C", repoHome.toString(), "describe", "--always", "--dirty"));
    v.put("Java (exporters and bench)", System.getProperty("java.vm.name") + " "
        + System.getProperty("java.runtime.version"));
    v.put("PostgreSQL", postgresVersion(leader, db));
    Http http = new Http();
    v.put("Patroni", http.getJson(leader.restUrl() + "/patroni")
        .map(j -> j.path("patroni").path("version").asText("unknown")).orElse("unknown"));
    v.put("etcd", http.getJson(t.etcd().get(0).clientUrl() + "/version")
        .map(j -> j.path("etcdserver").asText("unknown")).orElse("unknown"));
    v.put("postgres_exporter", BenchExporters.postgresExporterVersion());
    return new MachineInfo(Instant.now().truncatedTo(ChronoUnit.SECONDS),
        Runtime.getRuntime().availableProcessors(), cpuModel(), totalMemoryGib(), osName(),
        read("/proc/sys/kernel/osrelease").orElse("unknown").strip(), v);
  }

  private static String postgresVersion(Topology.Member leader, Database db) {
    try (Connection c = db.connect(leader.host(), leader.pgPort(), Secrets.SUPERUSER);
         Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SHOW server_version")) {
      r.next();
      return r.getString(1);
    } catch (SQLException e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    return read("/proc/cpuinfo").flatMap(text -> text.lines()
        .filter(l -> l.startsWith("model name")).findFirst()
        .map(l -> l.substring(l.indexOf(':') + 1).strip())).orElse("unknown");
  }

  private static double totalMemoryGib() {
    return read("/proc/meminfo").flatMap(text -> text.lines()
        .filter(l -> l.startsWith("MemTotal:")).findFirst()
        .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0)).orElse(Double.NaN);
  }

  private static String osName() {
    return read("/etc/os-release").flatMap(text -> text.lines()
        .filter(l -> l.startsWith("PRETTY_NAME=")).findFirst()
        .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", ""))).orElse("unknown");
  }

  private static Optional<String> read(String file) {
    try {
      return Optional.of(Files.readString(Path.of(file)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
