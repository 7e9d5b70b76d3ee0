package io.pgha.cluster;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code ./pgha} command. */
@Command(name = "pgha", mixinStandardHelpOptions = true, version = "pgha 0.1.0",
    description = "Deploy, observe and rehearse failures of a Patroni/etcd/HAProxy PostgreSQL cluster.",
    subcommands = {CommandLine.HelpCommand.class, io.pgha.cluster.traffic.TrafficCommand.class,
        io.pgha.cluster.alerts.AlertsCommand.class})
public final class Pgha implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Pgha()).execute(args));
  }
}
