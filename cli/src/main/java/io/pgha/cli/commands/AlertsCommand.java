package io.pgha.cli.commands;

import io.pgha.cli.options.ClusterOptions;
import io.pgha.lab.alerts.AlertTables;
import io.pgha.lab.alerts.Notification;
import io.pgha.lab.alerts.NotificationLog;
import io.pgha.lab.alerts.PrometheusAlert;
import io.pgha.lab.client.Http;
import io.pgha.lab.client.PrometheusApi;
import io.pgha.lab.topology.ClusterFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./pgha alerts}: what Prometheus has pending or firing, and what the pgha receiver got. */
@Command(name = "alerts", mixinStandardHelpOptions = true,
    description = {
        "List the alerts pending or firing in the cluster's Prometheus (GET /api/v1/alerts) and the "
            + "notifications Alertmanager delivered to the pgha receiver "
            + "(<workdir>/alerts/notifications.jsonl), as tables.",
        "Exit code 0 when Prometheus answered, 1 when it did not or the work dir holds no cluster."})
public final class AlertsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Option(names = "--last", paramLabel = "N", defaultValue = "20",
      description = "Show the last N notifications the receiver got (default: ${DEFAULT-VALUE}).")
  int last;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
      description = "Give up on Prometheus after this many seconds (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (last < 0 || timeoutSeconds < 1) {
      err.println("pgha alerts: --last must be >= 0 and --timeout >= 1");
      return 2;
    }
    String prometheus;
    try {
      prometheus = ClusterFile.load(cluster.workdir()).prometheus().url();
      cluster.topology();
    } catch (IllegalArgumentException | IOException e) {
      err.println("pgha alerts: " + e.getMessage());
      return 1;
    }
    int exit = 0;
    try {
      List<PrometheusAlert> alerts =
          new PrometheusApi(new Http(Duration.ofSeconds(timeoutSeconds))).alerts(prometheus);
      long firing = alerts.stream().filter(a -> a.state().equals("firing")).count();
      out.printf("Prometheus %s: %d firing, %d pending%n", prometheus, firing,
          alerts.size() - firing);
      out.print(AlertTables.prometheus(alerts));
    } catch (IOException e) {
      out.printf("Prometheus %s: failed: %s%n", prometheus, e.getMessage());
      exit = 1;
    }
    out.println();
    printNotifications(out, NotificationLog.read(NotificationLog.file(cluster.workdir())));
    out.flush();
    return exit;
  }

  private void printNotifications(PrintWriter out, NotificationLog log) {
    if (!log.exists()) {
      out.printf("Receiver %s: no notifications yet (no such file)%n", log.file());
      return;
    }
    List<Notification> shown = log.last(last);
    out.printf("Receiver %s: %d notifications%s%n", log.file(), log.notifications().size(),
        shown.size() < log.notifications().size() ? ", the last " + shown.size() + " shown" : "");
    log.problems().forEach(p -> out.println("  skipped: " + p));
    if (!shown.isEmpty() || log.notifications().isEmpty()) {
      out.print(AlertTables.notifications(shown));
    }
  }
}
