package io.pgha.cli.options;

import io.pgha.lab.topology.ClusterFile;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --workdir} and {@code --offset}, shared by every subcommand. A work dir remembers its
 * offset in cluster.json, so only {@code up} on a new work dir needs {@code --offset}.
 */
public final class ClusterOptions {
  public static final String DEFAULT_WORKDIR = "/var/lib/pgha/default";

  @Option(names = "--workdir", paramLabel = "DIR",
      defaultValue = "${env:PGHA_WORKDIR:-" + DEFAULT_WORKDIR + "}",
      description = "Work dir holding the cluster's state (default: $PGHA_WORKDIR or "
          + DEFAULT_WORKDIR + ").")
  Path workdir;

  @Option(names = "--offset", paramLabel = "N",
      description = "Added to every port, to run a second cluster beside the default one "
          + "(the tests use 10000). Default: the work dir's own, else 0.")
  Integer offset;

  public Path workdir() {
    return workdir.toAbsolutePath().normalize();
  }

  /** The topology of this work dir: its cluster.json if any, else built from the options. */
  public Topology topology() throws IOException {
    return topology(false);
  }

  /**
   * Like {@link #topology()}; a new work dir is set up with TLS when {@code tls}. A work dir
   * remembers whether it has TLS, as it remembers its offset: asking for TLS on one set up
   * without it is refused (its etcd and PostgreSQL were made for plain text).
   */
  public Topology topology(boolean tls) throws IOException {
    Optional<Topology> existing = ClusterFile.read(workdir());
    if (existing.isPresent()) {
      int saved = existing.get().offset();
      if (offset != null && offset != saved) {
        throw new IllegalArgumentException("--offset " + offset + " does not match the work dir "
            + workdir() + ", set up with --offset " + saved
            + " (run `pgha down --wipe` there first to change it)");
      }
      boolean secured = existing.get().secured();
      if (tls && !secured) {
        throw new IllegalArgumentException("--tls: the work dir " + workdir() + " was set up without TLS"
            + " (run `pgha down --wipe` there first to set it up with --tls)");
      }
      return Topology.of(workdir(), saved, secured);
    }
    return Topology.of(workdir(), offset == null ? 0 : offset, tls);
  }
}
