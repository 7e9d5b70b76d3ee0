package io.pgha.cli.commands;

import io.pgha.cli.options.ClusterOptions;
import io.pgha.lab.alerts.LeaderEventTable;
import io.pgha.lab.client.Http;
import io.pgha.lab.client.LeaderEventsApi;
import io.pgha.lab.topology.ClusterFile;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./pgha events}: the leader changes exporter-etcd saw, like {@code patronictl history} with more. */
@Command(name = "events", mixinStandardHelpOptions = true,
    description = {
        "List the cluster's leader changes as its exporter-etcd tells them (GET /events): timeline and "
            + "switch LSN (as patronictl history), when, the old and the new leader, why (switchover, "
            + "failover, released, expired), how long the scope had no leader, and the WAL the old leader "
            + "had beyond the new timeline. Oldest first; changes the exporter read from Patroni's history "
            + "when it started, without seeing them, say (history).",
        "Exit code 0 when the exporter answered, 1 when it did not or the work dir holds no cluster."})
public final class EventsCommand implements Callable<Integer> {
  static final int MAX = 1000;

  @Spec CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Option(names = "--scope", paramLabel = "S", description = "Only this scope (default: every scope the exporter watches).")
  String scope;

  @Option(names = "--last", paramLabel = "N", defaultValue = "20",
      description = "Show the last N changes (1 to " + MAX + ", default: ${DEFAULT-VALUE}).")
  int last;

  @Option(names = "--json", description = "Print the exporter's JSON (newest first) instead of a table.")
  boolean json;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
      description = "Give up on the exporter after this many seconds (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (last < 1 || last > MAX || timeoutSeconds < 1) {
      err.println("pgha events: --last must be from 1 to " + MAX + " and --timeout >= 1");
      return 2;
    }
    Topology t;
    try {
      t = ClusterFile.load(cluster.workdir());
      cluster.topology(); // checks --offset against the work dir
    } catch (IllegalArgumentException | IOException e) {
      err.println("pgha events: " + e.getMessage());
      return 1;
    }
    LeaderEventsApi api = new LeaderEventsApi(new Http(Duration.ofSeconds(timeoutSeconds)));
    try {
      if (json) {
        out.print(api.readRaw(t, Optional.ofNullable(scope), last));
      } else {
        LeaderEventsApi.Page page = api.read(t, Optional.ofNullable(scope), last);
        out.printf("exporter-etcd %s: scopes %s, watch %s%n", LeaderEventsApi.url(t), String.join(", ", page.scopes()),
            page.watchHealthy() ? "healthy" : "NOT healthy (the list may be behind)");
        out.print(LeaderEventTable.render(page.events()));
      }
    } catch (IOException e) {
      err.println("pgha events: " + e.getMessage());
      return 1;
    }
    out.flush();
    return 0;
  }
}
