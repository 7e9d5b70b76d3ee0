package io.pgha.cli.commands;

import io.pgha.cli.options.ClusterOptions;

import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.deploy.Switchover;
import io.pgha.lab.topology.Topology;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "switchover", mixinStandardHelpOptions = true,
    description = {"Planned switchover through Patroni's REST API.",
        "Returns when the new leader runs and HAProxy routes writes to it."})
public final class SwitchoverCommand implements Callable<Integer> {
  @Mixin ClusterOptions cluster;

  @Option(names = "--candidate", paramLabel = "MEMBER",
      description = "Member to promote (default: Patroni picks a healthy replica).")
  String candidate;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "Give up after this long (default: ${DEFAULT-VALUE}).")
  long timeout;

  @Override
  public Integer call() throws Exception {
    Topology t = cluster.topology();
    if (candidate != null) {
      t.member(candidate);
    }
    Secrets secrets = new Secrets(t.workdirPath());
    Switchover.Result r = new Switchover(t, secrets, System.out).run(candidate, timeout);
    if (!r.ok()) {
      System.err.println("pgha switchover: " + r.message());
      return 1;
    }
    return 0;
  }
}
