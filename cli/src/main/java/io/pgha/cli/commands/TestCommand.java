package io.pgha.cli.commands;

import io.pgha.cli.options.Locations;

import io.pgha.lab.deploy.Packages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "test", mixinStandardHelpOptions = true,
    description = {"Run every test: unit tests and the integration tests against a cluster of their "
        + "own (work dir /tmp/pgha-it, ports + 10000).",
        "Installs the Debian packages first when root; runs ./mvnw -B verify from the repository root."})
public final class TestCommand implements Callable<Integer> {
  @Parameters(paramLabel = "MAVEN_ARGS", description = "Extra arguments for Maven, e.g. -pl it -am.")
  List<String> mavenArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    try {
      Packages.ensure(System.out);
    } catch (Packages.MissingPackagesException e) {
      System.err.println("pgha test: " + e.getMessage());
      return 1;
    }
    Path home = Locations.repoHome();
    List<String> cmd = new ArrayList<>(List.of(home.resolve("mvnw").toString(), "-B", "verify"));
    cmd.addAll(mavenArgs);
    System.out.println("pgha test: " + String.join(" ", cmd) + " (in " + home + ")");
    // Maven rebuilds cli/target/pgha-cli.jar meanwhile: ./pgha runs a copy, so that is safe.
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).inheritIO();
    pb.environment().put("PGHA_HOME", home.toString());
    return pb.start().waitFor();
  }
}
