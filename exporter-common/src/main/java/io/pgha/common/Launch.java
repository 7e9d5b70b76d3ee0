package io.pgha.common;

import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a launcher does once every configuration is read and valid: report it valid
 * ({@code --config.check}), or start the exporters and stop them on SIGTERM or SIGINT. Shared by
 * the one-exporter command and the one-JVM launcher of all three.
 */
public final class Launch {
  /** Exit code of a configuration error (also of bad flags). */
  public static final int CONFIG_ERROR = 2;
  /** Exit code when the exporters cannot serve (a port taken, say). */
  public static final int CANNOT_SERVE = 1;
  /** Not an exit code: the exporters run, and the JVM lives until it is told to stop. */
  public static final int RUNNING = -1;

  private static final Logger LOG = LoggerFactory.getLogger(Launch.class);

  private Launch() {}

  /** {@code --config.check}, or start with a shutdown hook; the exit code, or {@link #RUNNING}. */
  public static int run(String program, List<ExporterConfig<?>> configs, boolean checkOnly, PrintStream out, PrintStream err) {
    String names = configs.stream().map(c -> "exporter-" + c.name()).collect(Collectors.joining(", "));
    if (checkOnly) {
      out.println(program + ": configuration is valid (" + names + ")");
      return 0;
    }
    ExporterProcess process;
    try {
      process = ExporterProcess.start(configs);
    } catch (RuntimeException e) {
      err.println(program + ": cannot start: " + e.getMessage());
      return CANNOT_SERVE;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      long start = System.nanoTime();
      LOG.info("{} shutting down", names);
      process.close();
      LOG.info("{} stopped in {} ms", names, (System.nanoTime() - start) / 1_000_000);
    }, "pgha-shutdown"));
    return RUNNING;
  }

  /** The main method's ending: exit with the code, or return and let the exporters run. */
  public static void exit(int code) {
    if (code != RUNNING && code != 0) {
      System.exit(code);
    }
  }
}
