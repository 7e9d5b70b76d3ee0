package io.pgha.cluster;

import io.pgha.cluster.alerts.AlertsCommand;
import io.pgha.cluster.bench.BenchCommand;
import io.pgha.cluster.cli.DownCommand;
import io.pgha.cluster.cli.PsqlCommand;
import io.pgha.cluster.cli.ReceiverCommand;
import io.pgha.cluster.cli.StatusCommand;
import io.pgha.cluster.cli.SwitchoverCommand;
import io.pgha.cluster.cli.TestCommand;
import io.pgha.cluster.cli.UpCommand;
import io.pgha.cluster.drill.DrillCommand;
import io.pgha.cluster.traffic.TrafficCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code ./pgha} command. */
@Command(name = "pgha", mixinStandardHelpOptions = true, version = "pgha 0.1.0",
    description = "Deploy, observe and rehearse failures of a Patroni/etcd/HAProxy PostgreSQL cluster.",
    subcommands = {UpCommand.class, DownCommand.class, StatusCommand.class, PsqlCommand.class,
        SwitchoverCommand.class, TestCommand.class, TrafficCommand.class, AlertsCommand.class, DrillCommand.class,
        BenchCommand.class, ReceiverCommand.class, CommandLine.HelpCommand.class})
public final class Pgha implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Pgha());
    // Bad input and unusable state are the user's to fix: a message, not a stack trace.
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
          || e instanceof java.io.IOException) {
        cmd.getErr().println("pgha " + cmd.getCommandName() + ": " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
