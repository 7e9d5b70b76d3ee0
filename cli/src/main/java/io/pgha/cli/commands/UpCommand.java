package io.pgha.cli.commands;

import io.pgha.cli.options.ClusterOptions;
import io.pgha.cli.options.Locations;

import io.pgha.lab.deploy.ClusterSettings;
import io.pgha.lab.deploy.ClusterUp;
import io.pgha.lab.deploy.ExporterJvms;
import io.pgha.lab.deploy.Packages;
import io.pgha.lab.deploy.Readiness;
import io.pgha.lab.topology.Topology;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "up", mixinStandardHelpOptions = true,
    description = {"Deploy the HA cluster and its monitoring on loopback: 3 etcd, 3 Patroni with "
        + "PostgreSQL 15, HAProxy, Prometheus, Alertmanager, the pgha exporters and alert receiver.",
        "Returns when everything is ready. On a running cluster it starts nothing; on a partly "
            + "running one it starts only what is missing."})
public final class UpCommand implements Callable<Integer> {
  @Mixin ClusterOptions cluster;

  @Option(names = "--ttl", paramLabel = "S", defaultValue = "10",
      description = "Patroni leader key TTL in seconds, at bootstrap (default: ${DEFAULT-VALUE}).")
  int ttl;

  @Option(names = "--loop-wait", paramLabel = "S", defaultValue = "2",
      description = "Patroni loop_wait in seconds, at bootstrap (default: ${DEFAULT-VALUE}).")
  int loopWait;

  @Option(names = "--retry-timeout", paramLabel = "S", defaultValue = "4",
      description = "Patroni retry_timeout in seconds, at bootstrap (default: ${DEFAULT-VALUE}).")
  int retryTimeout;

  @Option(names = "--failsafe-mode", description = "Bootstrap with Patroni's failsafe_mode on.")
  boolean failsafe;

  @Option(names = "--synchronous-mode", description = "Bootstrap with Patroni's synchronous_mode on.")
  boolean synchronous;

  @Option(names = "--scrape-interval", paramLabel = "SECONDS", defaultValue = "5",
      description = "Prometheus scrape and rule evaluation interval (default: ${DEFAULT-VALUE}).")
  int scrapeSeconds;

  @Option(names = "--exporter-jvms", paramLabel = "one|separate",
      description = "Run the three pgha exporters in one JVM (one, the default: less than half the "
          + "memory) or one JVM each (separate). The work dir remembers the choice; on a running "
          + "cluster the exporters are restarted the new way.")
  String exporterJvms;

  @Option(names = "--tls",
      description = "Secure the cluster like production: a CA and per-host certificates in <workdir>/tls, etcd "
          + "with client and peer TLS and client certificates, Patroni's REST API over HTTPS (a client "
          + "certificate for switchover and the other unsafe endpoints), PostgreSQL with SSL (required for "
          + "replication and pgha_monitor), the exporters over HTTPS with basic auth. The work dir remembers it.")
  boolean tls;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
      description = "Give up when the cluster is not ready after this long (default: ${DEFAULT-VALUE}).")
  long timeout;

  @Override
  public Integer call() throws Exception {
    ClusterSettings settings = new ClusterSettings(ttl, loopWait, retryTimeout, failsafe,
        synchronous, Duration.ofSeconds(scrapeSeconds));
    Topology t = cluster.topology(tls);
    System.out.println("pgha up: work dir " + t.workdir() + ", offset " + t.offset() + (t.secured() ? ", TLS" : ""));
    try {
      new ClusterUp(t, settings, Locations.installation(), System.out)
          .exporterJvms(exporterJvms == null ? null : ExporterJvms.parse(exporterJvms))
          .run(timeout);
      return 0;
    } catch (Packages.MissingPackagesException | ClusterUp.PortTakenException
             | Readiness.NotReadyException e) {
      System.err.println("pgha up: " + e.getMessage());
      return 1;
    }
  }
}
