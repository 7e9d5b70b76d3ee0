package io.pgha.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.lab.topology.ClusterFile;
import io.pgha.lab.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrafficCommandTest {

  @TempDir Path workdir;
  private final CliRun cli = new CliRun();

  @Test
  void helpListsTheOptions() {
    assertThat(cli.run("traffic", "--help")).isZero();
    assertThat(cli.out.toString()).contains("Usage: pgha traffic", "--rate=N", "--duration=D", "--read-ratio=R",
        "--workdir=DIR", "--offset=N", "0 runs until", "Exit code: 0 when no acknowledged write is missing");
  }

  @Test
  void aMalformedOptionIsNamed() {
    assertThat(cli.run("traffic", "--duration", "ten", "--workdir", workdir.toString())).isEqualTo(2);
    assertThat(cli.err.toString()).contains("Invalid value for option '--duration': 'ten' is not a duration");

    assertThat(cli.run("traffic", "--rate", "-3", "--workdir", workdir.toString())).isEqualTo(2);
    assertThat(cli.err.toString()).contains("Invalid value for option '--rate': -3.0 (must be above 0");

    assertThat(cli.run("traffic", "--read-ratio", "2", "--workdir", workdir.toString())).isEqualTo(2);
    assertThat(cli.err.toString()).contains("Invalid value for option '--read-ratio': 2.0 (must be between 0 and 1)");
  }

  @Test
  void aMissingClusterFileIsNamed() {
    assertThat(cli.run("traffic", "--workdir", workdir.toString())).isEqualTo(2);
    assertThat(cli.err.toString()).startsWith("pgha traffic: " + workdir.resolve("cluster.json") + ": not found");
  }

  @Test
  void aMissingPasswordFileIsNamed() throws Exception {
    Files.writeString(workdir.resolve("cluster.json"), ClusterFile.toJson(Topology.of(workdir, 0)));

    assertThat(cli.run("traffic", "--workdir", workdir.toString())).isEqualTo(2);
    assertThat(cli.err.toString()).isEqualTo("pgha traffic: " + workdir.resolve("secrets/app.password")
        + ": not found (./pgha up generates it)" + System.lineSeparator());
  }
}
