package io.pgha.cli.commands;

import io.pgha.cli.options.DurationConverter;
import io.pgha.traffic.TrafficOptions;
import io.pgha.traffic.TrafficPreflight;
import io.pgha.traffic.TrafficRun;
import io.pgha.traffic.TrafficSummary;
import io.pgha.traffic.TrafficTarget;
import io.pgha.traffic.TrafficText;

import io.pgha.cli.options.ClusterOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./pgha traffic}: demo traffic through HAProxy, with per-second lines, outage and ledger check. */
@Command(name = "traffic", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Writes events through HAProxy's write port and reads through its read port, reconnecting after "
            + "failures. Prints one line a second, then totals, the longest write outage and the ledger check: "
            + "every write acknowledged to the client is looked up on the primary afterwards. The ledger is kept "
            + "in <workdir>/traffic/.",
        "",
        "Exit code: 0 when no acknowledged write is missing, 1 when some are or the check could not finish, "
            + "2 for bad options or work dir files.",
        ""},
    exitCodeOnExecutionException = 2)
public final class TrafficCommand implements Callable<Integer> {

  @Option(names = "--rate", defaultValue = "50", paramLabel = "N",
      description = "Operations per second, writes and reads together (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--duration", defaultValue = "60s", paramLabel = "D", converter = DurationConverter.class,
      description = "How long to run, e.g. 10s, 2m, 1m30s; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--read-ratio", defaultValue = "0.5", paramLabel = "R",
      description = "Share of the operations that are reads, 0 to 1 (default: ${DEFAULT-VALUE}).")
  double readRatio;

  @Mixin ClusterOptions cluster;

  @Option(names = "--database", defaultValue = "postgres", paramLabel = "DB",
      description = "Database holding the demo tables (default: ${DEFAULT-VALUE}).")
  String database;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    TrafficOptions options = options();
    TrafficTarget target;
    try {
      target = TrafficTarget.of(cluster.workdir(), database);
      cluster.topology();
    } catch (IllegalArgumentException | IllegalStateException | IOException e) {
      err.println("pgha traffic: " + e.getMessage());
      return 2;
    }
    TrafficPreflight.Result preflight = TrafficPreflight.check(target, options);
    if (preflight.fatal()) {
      err.println("pgha traffic: " + target.write() + " (database " + database + ", user " + target.user() + "): "
          + preflight.problem());
      return 2;
    }
    if (!preflight.ok()) {
      err.println("pgha traffic: the write port does not answer yet (" + preflight.problem() + "); starting anyway");
    }

    CountDownLatch interrupted = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      interrupted.countDown();
      try {
        // Let the main thread stop the run, check the ledger and print the summary before the JVM exits.
        finished.await(options.ledgerCheckTimeout().plus(options.socketTimeout()).plusSeconds(10).toMillis(),
            TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "pgha-traffic-shutdown");
    TrafficRun run;
    try {
      run = TrafficRun.start(target, options);
    } catch (IOException e) {
      err.println("pgha traffic: cannot create the ledger in " + options.ledgerDirectory() + ": " + e);
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      out.printf("traffic: writes to %s, reads from %s, %s/s, read ratio %s, %s%n", target.write(), target.read(),
          TrafficText.number(rate), TrafficText.number(readRatio), duration.isZero() ? "until Ctrl-C" : "for " + describe(duration));
      out.printf("ledger: %s%n", run.ledgerFile());
      out.flush();
      printSeconds(run, interrupted, out);
      out.println("stopping; checking the ledger on the primary ...");
      out.flush();
      TrafficSummary summary = run.stop();
      out.print(TrafficText.summary(summary, options));
      out.flush();
      return summary.ledgerCheck().complete() && summary.lostWrites() == 0 ? 0 : 1;
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running and lets the JVM go once we are done here.
      }
    }
  }

  private TrafficOptions options() {
    if (!(rate > 0) || rate > TrafficOptions.MAX_RATE) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "Invalid value for option '--rate': " + rate + " (must be above 0 and at most "
              + (int) TrafficOptions.MAX_RATE + ")");
    }
    if (!(readRatio >= 0 && readRatio <= 1)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "Invalid value for option '--read-ratio': " + readRatio + " (must be between 0 and 1)");
    }
    if (duration.isNegative()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "Invalid value for option '--duration': must not be negative");
    }
    return TrafficOptions.defaults(cluster.workdir().resolve("traffic")).withRate(rate, readRatio);
  }

  private void printSeconds(TrafficRun run, CountDownLatch interrupted, PrintWriter out)
      throws InterruptedException {
    long start = run.startedAtMillis();
    long end = duration.isZero() ? Long.MAX_VALUE : start + duration.toMillis();
    for (long second = 1; ; second++) {
      long lineAt = Math.min(end, start + second * 1000);
      if (interrupted.await(Math.max(0, lineAt - run.nowMillis()), TimeUnit.MILLISECONDS)) {
        return;
      }
      out.println(TrafficText.secondLine(second, run.window(start + (second - 1) * 1000, lineAt)));
      out.flush();
      if (lineAt >= end) {
        return;
      }
    }
  }

  private static String describe(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
  }
}
