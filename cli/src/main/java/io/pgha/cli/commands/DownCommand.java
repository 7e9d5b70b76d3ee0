package io.pgha.cli.commands;

import io.pgha.cli.options.ClusterOptions;

import io.pgha.lab.deploy.ClusterDown;
import io.pgha.lab.deploy.Component;
import io.pgha.lab.topology.Topology;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "down", mixinStandardHelpOptions = true,
    description = "Stop every process of the cluster (by PID: monitoring and HAProxy, then Patroni, "
        + "then etcd) and check that no port stays in use.")
public final class DownCommand implements Callable<Integer> {
  @Mixin ClusterOptions cluster;

  @Option(names = "--wipe", description = "Also delete the work dir: data, secrets, logs.")
  boolean wipe;

  @Override
  public Integer call() throws Exception {
    Topology t = cluster.topology();
    System.out.println("pgha down: work dir " + t.workdir() + ", offset " + t.offset());
    List<Component.Port> left = new ClusterDown(t, System.out).run(wipe);
    return left.isEmpty() ? 0 : 1;
  }
}
