package io.pgha.cli.commands;

import io.pgha.cli.Pgha;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;

/**
 * The pgha command line (or one command alone) run in-process as {@code ./pgha} runs it, what it
 * printed kept for the test.
 */
final class CliRun {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  private final Supplier<picocli.CommandLine> commandLine;

  CliRun() {
    this.commandLine = Pgha::commandLine;
  }

  /** One command on its own, as its usage names it ({@code Usage: alerts}); a new instance each run. */
  CliRun(Supplier<Object> command) {
    this.commandLine = () -> new picocli.CommandLine(command.get());
  }

  int run(String... args) {
    picocli.CommandLine cl = commandLine.get();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }
}
