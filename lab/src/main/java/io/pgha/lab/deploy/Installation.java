package io.pgha.lab.deploy;

import java.nio.file.Path;

/**
 * Where pgha's own programs are: the repository (the exporters' jars, the alert rules), the java
 * binary the cluster's JVMs run on, and the command line's jar (the alert receiver and the one-JVM
 * exporters run from it).
 */
public record Installation(Path repoHome, Path javaBin, Path cliJar) {

  /** The shaded jar of one exporter ({@code patroni}, {@code postgres}, {@code etcd}) as the build leaves it. */
  public Path exporterJar(String exporter) {
    return repoHome.resolve("exporter-" + exporter).resolve("target").resolve("pgha-exporter-" + exporter + ".jar");
  }
}
