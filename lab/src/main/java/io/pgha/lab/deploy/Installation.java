package io.pgha.lab.deploy;

import java.nio.file.Path;
import java.util.List;

/**
 * Where pgha's own programs are: the repository (the exporters' jars, the alert rules), the java
 * binary the cluster's JVMs run on, and the command line's jar (the alert receiver runs from it).
 */
public record Installation(Path repoHome, Path javaBin, Path cliJar) {

  /** The shaded jar of one exporter ({@code patroni}, {@code postgres}, {@code etcd}) as the build leaves it. */
  public Path exporterJar(String exporter) {
    return repoHome.resolve("exporter-" + exporter).resolve("target").resolve("pgha-exporter-" + exporter + ".jar");
  }

  /** The launcher of the three exporters in one JVM ({@code io.pgha.exporters.PghaExporters}) as the build leaves it. */
  public Path exportersJar() {
    return repoHome.resolve("exporters").resolve("target").resolve("pgha-exporters.jar");
  }

  /** The jars the exporters run from in the given mode. */
  public List<Path> exporterJars(ExporterJvms mode) {
    return mode == ExporterJvms.ONE ? List.of(exportersJar())
        : Components.EXPORTERS.stream().map(this::exporterJar).toList();
  }
}
