package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.lab.topology.ClusterFile;
import io.pgha.lab.topology.Topology;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The cluster a test of one mode (TLS or plain) checks: the shared test cluster when it runs in that
 * mode, else a twin of its own brought up in it beside the shared one (work dir
 * {@code <pgha.it.workdir>-tls} or {@code -plain}, offset {@code -Dpgha.it.twin.offset}, by default the
 * tests' offset + 1000) and wiped afterwards. So every run proves both: the shared cluster's mode
 * ({@code -Dpgha.it.tls}) with the whole suite, the other with {@link TlsClusterIT} or
 * {@link PlainClusterIT} on its twin.
 */
final class TwinCluster {
  static final int OFFSET = Integer.getInteger("pgha.it.twin.offset", TestCluster.OFFSET + 1000);

  /**
   * A cluster of the asked mode.
   *
   * @param up what its {@code pgha up} printed: only a twin's (the shared cluster's went to the log)
   */
  record Handle(Topology topology, TestCluster cli, String[] where, Optional<String> up) {
    /** The real CLI against this cluster. */
    TestCluster.CliResult pgha(String subcommand, String... args) {
      String[] all = new String[1 + where.length + args.length];
      all[0] = subcommand;
      System.arraycopy(where, 0, all, 1, where.length);
      System.arraycopy(args, 0, all, 1 + where.length, args.length);
      return cli.pghaRaw(all);
    }
  }

  interface Checks {
    void run(Handle cluster) throws Exception;
  }

  private TwinCluster() {}

  /** {@code checks} on the shared cluster if it runs with {@code tls} as asked, else on a twin that does. */
  static void check(boolean tls, TestCluster shared, Checks checks) throws Exception {
    if (TestCluster.TLS == tls) {
      String[] where = {"--workdir", TestCluster.WORKDIR, "--offset", Integer.toString(TestCluster.OFFSET)};
      checks.run(new Handle(shared.topology(), shared, where, Optional.empty()));
      return;
    }
    String workdir = TestCluster.WORKDIR + (tls ? "-tls" : "-plain");
    TestCluster cli = TestCluster.cliOnly();
    Handle twin = new Handle(null, cli, new String[] {"--workdir", workdir, "--offset", Integer.toString(OFFSET)},
        Optional.empty());
    twin.pgha("down", "--wipe");
    try {
      TestCluster.CliResult up = tls ? twin.pgha("up", "--tls") : twin.pgha("up");
      System.out.println(up.output());
      assertThat(up.exitCode()).as(up.output()).isZero();
      Topology t = ClusterFile.read(Path.of(workdir)).orElseThrow();
      checks.run(new Handle(t, cli, twin.where(), Optional.of(up.stdout())));
    } finally {
      System.out.println(twin.pgha("down", "--wipe").output());
    }
  }
}
