package io.pgha.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage mistakes are named, exit 2, and touch nothing. */
class DrillCommandTest {

  @TempDir Path workdir;
  private final CliRun cli = new CliRun();

  @Test
  void anUnknownDrillIsNamedWithTheKnownOnes() {
    assertThat(cli.run("drill", "leader-punch", "--workdir", workdir.toString())).isEqualTo(2);
    assertThat(cli.err.toString()).contains("no drill named leader-punch (drills: replica-stop, leader-kill,");
  }

  @Test
  void aTargetOnlyWhereTheDrillTakesOne() {
    assertThat(cli.run("drill", "leader-kill", "--target", "pg-2", "--workdir", workdir.toString())).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--target applies to replica-stop, switchover, etcd-one-down, "
        + "etcd-majority-down, replica-partition, etcd-member-partition and lagging-failover, not leader-kill");
    assertThat(cli.run("drill", "all", "--target", "pg-2", "--workdir", workdir.toString())).isEqualTo(2);
  }

  @Test
  void noClusterNoDrill() {
    assertThat(cli.run("drill", "replica-stop", "--workdir", workdir.toString())).isEqualTo(2);
    assertThat(cli.err.toString()).contains("no cluster in " + workdir + " (run pgha up first)");
  }
}
