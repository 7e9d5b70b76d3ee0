package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.lab.deploy.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The CLI against the running cluster: idempotent up, bad options, psql, status. */
@PghaCluster.Test
class CommandLineIT {

  /** Every live process whose command line mentions the work dir (daemons and postmasters). */
  private static Set<Long> clusterProcesses(TestCluster cluster) throws IOException {
    Set<Long> pids = new TreeSet<>();
    try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
      for (Path p : proc.toList()) {
        String name = p.getFileName().toString();
        if (name.chars().allMatch(Character::isDigit)) {
          long pid = Long.parseLong(name);
          if (ProcFs.alive(pid) && ProcFs.mentions(pid, cluster.workdir())) {
            pids.add(pid);
          }
        }
      }
    }
    return pids;
  }

  @Test
  void aSecondUpStartsNothingNew(TestCluster cluster) throws Exception {
    Set<Long> before = clusterProcesses(cluster);
    // 3 etcd, 3 Patroni, HAProxy, Prometheus, Alertmanager, the receiver, the exporters (one JVM), 3 postmasters
    assertThat(before).hasSizeGreaterThanOrEqualTo(14);
    TestCluster.CliResult up = cluster.pgha("up");
    System.out.println(up.output());
    assertThat(up.exitCode()).as(up.output()).isZero();
    assertThat(up.stdout()).contains("already running").contains("nothing started")
        .doesNotContain("started etcd").doesNotContain("started pg-");
    assertThat(clusterProcesses(cluster)).isEqualTo(before);
  }

  @Test
  void aMalformedOptionIsNamed(TestCluster cluster) {
    TestCluster.CliResult badValue = cluster.pghaRaw("up", "--offset", "ten");
    assertThat(badValue.exitCode()).isEqualTo(2);
    assertThat(badValue.stderr()).contains("--offset").contains("ten");

    TestCluster.CliResult unknown = cluster.pghaRaw("status", "--workdir", TestCluster.WORKDIR,
        "--frobnicate");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("--frobnicate");

    TestCluster.CliResult outOfRange = cluster.pghaRaw("up", "--workdir", "/tmp/pgha-it-none",
        "--offset", "60000");
    assertThat(outOfRange.exitCode()).isEqualTo(2);
    assertThat(outOfRange.stderr()).contains("--offset");
    assertThat(Path.of("/tmp/pgha-it-none")).doesNotExist();

    TestCluster.CliResult mismatch = cluster.pghaRaw("status", "--workdir", TestCluster.WORKDIR,
        "--offset", "0");
    assertThat(mismatch.exitCode()).isEqualTo(2);
    assertThat(mismatch.stderr()).contains("--offset 0").contains("--offset " + TestCluster.OFFSET);
  }

  @Test
  void everySubcommandHasHelp(TestCluster cluster) {
    for (String sub : new String[] {"up", "down", "status", "psql", "switchover", "test"}) {
      TestCluster.CliResult help = cluster.pghaRaw(sub, "--help");
      assertThat(help.exitCode()).as(sub).isZero();
      assertThat(help.stdout()).as(sub).startsWith("Usage: pgha " + sub);
    }
  }

  @Test
  void psqlGoesThroughHaproxyWithTheGeneratedCredentials(TestCluster cluster) {
    TestCluster.CliResult write = cluster.pgha("psql", "--write", "--", "-Atc",
        "select pg_is_in_recovery(), current_user, inet_server_port()");
    assertThat(write.exitCode()).as(write.output()).isZero();
    assertThat(write.stdout().trim()).isEqualTo("f|app|" + (5432 + TestCluster.OFFSET));

    TestCluster.CliResult read = cluster.pgha("psql", "--read", "--", "-Atc",
        "select pg_is_in_recovery()");
    assertThat(read.exitCode()).as(read.output()).isZero();
    assertThat(read.stdout().trim()).isEqualTo("t");
    assertThat(read.output()).doesNotContain(cluster.password("app"));
  }

  @Test
  void statusShowsAHealthyCluster(TestCluster cluster) {
    TestCluster.CliResult status = cluster.pgha("status");
    assertThat(status.exitCode()).as(status.output()).isZero();
    assertThat(status.stdout()).contains("| pg-1 ").contains("| pg-2 ").contains("| pg-3 ")
        .contains("Leader").contains("| etcd-1 ").contains("healthy");
    for (String user : new String[] {"postgres", "replicator", "pgha_monitor", "app", "patroni"}) {
      assertThat(status.output()).doesNotContain(cluster.password(user));
    }
  }
}
