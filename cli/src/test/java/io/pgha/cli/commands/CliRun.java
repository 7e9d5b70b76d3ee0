package io.pgha.cli.commands;

import io.pgha.cli.Pgha;
import java.io.PrintWriter;
import java.io.StringWriter;

/** The pgha command line run in-process as {@code ./pgha} runs it, what it printed kept for the test. */
final class CliRun {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    picocli.CommandLine cl = Pgha.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }
}
