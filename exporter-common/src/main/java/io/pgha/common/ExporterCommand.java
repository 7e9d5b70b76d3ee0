package io.pgha.common;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The command line of one exporter's jar:
 * {@code pgha-exporter-<name> --config FILE [--web.listen-address HOST:PORT] [--web.telemetry-path PATH]
 * [--web.config.file FILE] [--log.level LEVEL] [--log.format FORMAT] [--config.check]}, plus
 * {@code --help} and {@code --version}. Exits 2 on a bad flag or configuration, naming it, before
 * anything listens; 1 when it cannot serve.
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
    description = "Serves the exporter's metrics for Prometheus. Flags win over environment, which wins over the YAML file.")
public final class ExporterCommand implements Callable<Integer> {
  @Mixin ExporterOptions exporter;
  @Mixin ProcessOptions process;

  private final ExporterSpec<?> spec;
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  private ExporterCommand(ExporterSpec<?> spec, Map<String, String> env, PrintStream out, PrintStream err) {
    this.spec = spec;
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /** An exporter jar's main method. */
  public static void main(ExporterSpec<?> spec, String[] args) {
    Launch.exit(execute(spec, args, System.getenv(), System.out, System.err));
  }

  /** Runs the command line: the exit code, or {@link Launch#RUNNING} once the exporter listens. */
  public static int execute(ExporterSpec<?> spec, String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return commandLine(new ExporterCommand(spec, env, out, err), spec.program(), out, err).execute(args);
  }

  /**
   * Parses the flags and starts the exporter: what tests and other embedders use. A bad flag or
   * configuration is a {@link ConfigException}.
   */
  public static ExporterProcess start(ExporterSpec<?> spec, Map<String, String> env, String... args) {
    ExporterCommand command = new ExporterCommand(spec, env, System.out, System.err);
    CommandLine line = new CommandLine(command);
    try {
      line.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw ExporterOptions.problem(e);
    }
    return ExporterProcess.start(List.of(command.load()));
  }

  @Override
  public Integer call() {
    ExporterConfig<?> config;
    try {
      process.applyLogging(List.of(spec));
      config = load();
    } catch (ConfigException e) {
      err.println(spec.program() + ": configuration error: " + e.getMessage());
      return Launch.CONFIG_ERROR;
    }
    return Launch.run(spec.program(), List.of(config), process.configCheck(), out, err);
  }

  private ExporterConfig<?> load() {
    return ExporterConfig.load(spec, exporter.given(), env);
  }

  /**
   * A picocli command line as every pgha exporter launcher has it: the program's name and version,
   * and a bad flag reported like any configuration error (the flag, then the problem), exit 2.
   */
  public static CommandLine commandLine(Object command, String program, PrintStream out, PrintStream err) {
    CommandLine line = new CommandLine(command);
    line.setCommandName(program);
    line.getCommandSpec().version(program + " " + Version.current());
    line.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    line.setParameterExceptionHandler((e, args) -> {
      err.println(program + ": configuration error: " + ExporterOptions.problem(e).getMessage());
      err.println("Try '" + program + " --help' for the flags.");
      return Launch.CONFIG_ERROR;
    });
    return line;
  }
}
