package io.pgha.common;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The flags of one exporter, spelled as Prometheus exporters spell them. Each wins over its
 * environment variable, which wins over the YAML file.
 */
public final class ExporterOptions {
  public static final String CONFIG = "--config";
  public static final String LISTEN_ADDRESS = "--web.listen-address";
  public static final String TELEMETRY_PATH = "--web.telemetry-path";
  public static final String WEB_CONFIG_FILE = "--web.config.file";

  @Option(names = CONFIG, paramLabel = "FILE",
      description = "YAML configuration with the exporter's section (env PGHA_CONFIG).")
  String config;

  @Option(names = LISTEN_ADDRESS, paramLabel = "HOST:PORT",
      description = "Where to serve (env PGHA_WEB_LISTEN_ADDRESS; default 127.0.0.1 and the exporter's port:"
          + " patroni 9811, postgres 9812, etcd 9813).")
  String listenAddress;

  @Option(names = TELEMETRY_PATH, paramLabel = "PATH",
      description = "Path of the metrics (env PGHA_WEB_TELEMETRY_PATH; default /metrics).")
  String telemetryPath;

  @Option(names = WEB_CONFIG_FILE, paramLabel = "FILE",
      description = "TLS and basic auth, in the Prometheus exporter-toolkit format (env PGHA_WEB_CONFIG_FILE).")
  String webConfigFile;

  /** The flags of one exporter in {@code args}; a {@link ConfigException} names a bad one. */
  public static ExporterOptions parse(String... args) {
    ExporterOptions options = new ExporterOptions();
    try {
      new CommandLine(options).parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw problem(e);
    }
    return options;
  }

  /** What is wrong with a command line, in the shape of every other configuration error: the flag, then the problem. */
  static ConfigException problem(CommandLine.ParameterException e) {
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
      String arg = unmatched.getUnmatched().get(0);
      if (!arg.startsWith("-")) {
        return new ConfigException(arg, "unexpected argument");
      }
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      TreeSet<String> known = new TreeSet<>();
      for (OptionSpec o : e.getCommandLine().getCommandSpec().options()) {
        known.add(o.longestName());
      }
      return new ConfigException(name, "unknown flag (known: " + String.join(", ", known) + ")");
    }
    if (e instanceof CommandLine.MissingParameterException missing && !missing.getMissing().isEmpty()
        && missing.getMissing().get(0) instanceof OptionSpec option) {
      return new ConfigException(option.longestName(), "needs a value");
    }
    if (e.getArgSpec() instanceof OptionSpec option) {
      return new ConfigException(option.longestName(), e.getMessage());
    }
    return new ConfigException("command line", e.getMessage());
  }

  /** The flags given, by name. */
  public Map<String, String> given() {
    Map<String, String> flags = new LinkedHashMap<>();
    put(flags, CONFIG, config);
    put(flags, LISTEN_ADDRESS, listenAddress);
    put(flags, TELEMETRY_PATH, telemetryPath);
    put(flags, WEB_CONFIG_FILE, webConfigFile);
    return flags;
  }

  private static void put(Map<String, String> flags, String name, String value) {
    if (value != null) {
      flags.put(name, value);
    }
  }
}
