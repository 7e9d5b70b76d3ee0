package io.pgha.cli.options;

import io.pgha.lab.deploy.Installation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where things are at run time: the repository, this jar, the JVM. */
public final class Locations {
  private Locations() {}

  /**
   * The repository root: $PGHA_HOME (set by ./pgha and the test fixture), else derived from where
   * this jar sits (cli/target/ or .pgha/ in the repository).
   */
  public static Path repoHome() {
    String env = System.getenv("PGHA_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath().normalize();
    }
    Path jar = cliJar();
    for (Path p = jar.getParent(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mvnw")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the pgha repository: set PGHA_HOME");
  }

  public static Path cliJar() {
    try {
      return Path.of(Locations.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toAbsolutePath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The repository, this jar and this JVM: where the cluster's programs come from. */
  public static Installation installation() {
    return new Installation(repoHome(), javaBin(), cliJar());
  }

  public static Path javaBin() {
    return ProcessHandle.current().info().command().map(Path::of)
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
  }
}
