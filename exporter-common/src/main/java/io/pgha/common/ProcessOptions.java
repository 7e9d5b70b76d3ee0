package io.pgha.common;

import io.pgha.common.logging.Logging;
import java.util.List;
import org.slf4j.event.Level;
import picocli.CommandLine.Option;

/** The flags of the process, whether it runs one exporter or several: logging and the config check. */
public final class ProcessOptions {
  public static final String LOG_LEVEL = "--log.level";
  public static final String LOG_FORMAT = "--log.format";
  public static final String CONFIG_CHECK = "--config.check";

  @Option(names = LOG_LEVEL, paramLabel = "LEVEL", defaultValue = "info",
      description = "Only log at this level and above: debug, info, warn or error (default info).")
  String logLevel;

  @Option(names = LOG_FORMAT, paramLabel = "FORMAT", defaultValue = "logfmt",
      description = "logfmt or json (default logfmt).")
  String logFormat;

  @Option(names = CONFIG_CHECK,
      description = "Validate the configuration (every key, the files it names, the web config) and exit:"
          + " 0 if valid, 2 if not. Listens on nothing.")
  boolean configCheck;

  public boolean configCheck() {
    return configCheck;
  }

  /**
   * Sets the log level and format, and quiets the libraries the exporters name; a
   * {@link ConfigException} naming the flag if the level or format is unknown.
   */
  public void applyLogging(List<ExporterSpec<?>> exporters) {
    Level level;
    Logging.Format format;
    try {
      level = Logging.parseLevel(logLevel);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(LOG_LEVEL, e.getMessage());
    }
    try {
      format = Logging.Format.parse(logFormat);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(LOG_FORMAT, e.getMessage());
    }
    Logging.configure(level, format);
    for (ExporterSpec<?> spec : exporters) {
      spec.quietLoggers().forEach(logger -> Logging.quieter(logger, Level.ERROR));
    }
  }
}
