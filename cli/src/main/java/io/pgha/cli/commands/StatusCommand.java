package io.pgha.cli.commands;

import io.pgha.cli.options.ClusterOptions;

import io.pgha.lab.client.Http;
import io.pgha.lab.status.ClusterState;
import io.pgha.lab.status.ClusterStateReader;
import io.pgha.lab.status.StatusReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show Patroni's members (role, state, timeline, lag), the etcd members and "
        + "HAProxy's backends.", "Exit code 0 when healthy, 1 when degraded."})
public final class StatusCommand implements Callable<Integer> {
  @Mixin ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    ClusterState state = new ClusterStateReader(new Http()).read(cluster.topology());
    System.out.print(StatusReport.render(state));
    return state.healthy() ? 0 : 1;
  }
}
