package io.pgha.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.cli.Pgha;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Usage mistakes are named, exit 2, and touch nothing. */
class DrillCommandTest {

  @TempDir Path workdir;
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Pgha.commandLine();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    return cl.execute(args);
  }

  @Test
  void anUnknownDrillIsNamedWithTheKnownOnes() {
    assertThat(run("drill", "leader-punch", "--workdir", workdir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no drill named leader-punch (drills: replica-stop, leader-kill,");
  }

  @Test
  void aTargetOnlyWhereTheDrillTakesOne() {
    assertThat(run("drill", "leader-kill", "--target", "pg-2", "--workdir", workdir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--target applies to replica-stop, switchover, etcd-one-down and "
        + "etcd-majority-down, not leader-kill");
    assertThat(run("drill", "all", "--target", "pg-2", "--workdir", workdir.toString())).isEqualTo(2);
  }

  @Test
  void noClusterNoDrill() {
    assertThat(run("drill", "replica-stop", "--workdir", workdir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no cluster in " + workdir + " (run pgha up first)");
  }
}
