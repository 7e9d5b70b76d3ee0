package io.pgha.cli;

import io.pgha.cli.commands.AlertsCommand;
import io.pgha.cli.commands.BenchCommand;
import io.pgha.cli.commands.DownCommand;
import io.pgha.cli.commands.EventsCommand;
import io.pgha.cli.commands.PsqlCommand;
import io.pgha.cli.commands.ReceiverCommand;
import io.pgha.cli.commands.StatusCommand;
import io.pgha.cli.commands.SwitchoverCommand;
import io.pgha.cli.commands.TestCommand;
import io.pgha.cli.commands.UpCommand;
import io.pgha.cli.commands.DrillCommand;
import io.pgha.cli.commands.TrafficCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code ./pgha} command. */
@Command(name = "pgha", mixinStandardHelpOptions = true, version = "pgha 0.1.0",
    description = "Deploy, observe and rehearse failures of a Patroni/etcd/HAProxy PostgreSQL cluster.",
    subcommands = {UpCommand.class, DownCommand.class, StatusCommand.class, PsqlCommand.class,
        SwitchoverCommand.class, TestCommand.class, TrafficCommand.class, AlertsCommand.class, EventsCommand.class,
        DrillCommand.class,
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
