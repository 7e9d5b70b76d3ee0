package io.pgha.exporters;

import io.pgha.common.ConfigException;
import io.pgha.common.ExporterCommand;
import io.pgha.common.ExporterConfig;
import io.pgha.common.ExporterOptions;
import io.pgha.common.ExporterSpec;
import io.pgha.common.Launch;
import io.pgha.common.ProcessOptions;
import io.pgha.common.WebSettings;
import io.pgha.etcd.EtcdExporter;
import io.pgha.patroni.PatroniExporter;
import io.pgha.postgres.PostgresExporter;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;

/**
 * pgha's exporters in one JVM: one heap, one JIT and code cache, one copy of the classes of
 * Vert.x, Netty and Jackson, one Vert.x, one verticle per exporter and one shutdown path. Each
 * exporter keeps its own configuration, port and clients, exactly as its own jar runs it.
 *
 * <pre>
 * java -jar exporters/target/pgha-exporters.jar [--log.level LEVEL] [--log.format FORMAT] [--config.check] \
 *     patroni --config exporter-patroni.yml -- postgres --config exporter-postgres.yml -- etcd --config exporter-etcd.yml
 * </pre>
 *
 * Each group is an exporter's name and the flags its own jar takes ({@code --config},
 * {@code --web.*}); the process's flags come first. Every configuration is read and checked
 * before anything listens: an error in any names the exporter and the key, and exits 2.
 */
@Command(name = "pgha-exporters", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
    customSynopsis = "pgha-exporters [--log.level=LEVEL] [--log.format=FORMAT] [--config.check]"
        + " EXPORTER FLAGS... [-- EXPORTER FLAGS...]...",
    description = {"Runs pgha's exporters in one JVM: one Vert.x, one verticle per exporter.",
        "EXPORTER is patroni, postgres or etcd; FLAGS are those its own jar takes:",
        "  --config FILE, --web.listen-address HOST:PORT, --web.telemetry-path PATH, --web.config.file FILE.",
        "A configuration error in any exporter exits 2, naming it and the key, before anything listens.",
        ""})
public final class PghaExporters implements Callable<Integer> {
  static final String PROGRAM = "pgha-exporters";
  private static final String ERROR = "configuration error: ";
  static final Map<String, ExporterSpec<?>> EXPORTERS = exporters();

  @Mixin ProcessOptions process;

  private final List<Group> groups;
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  /** One exporter of the command line and its flags. */
  record Group(String exporter, List<String> flags) {}

  private PghaExporters(List<Group> groups, Map<String, String> env, PrintStream out, PrintStream err) {
    this.groups = groups;
    this.env = env;
    this.out = out;
    this.err = err;
  }

  private static Map<String, ExporterSpec<?>> exporters() {
    Map<String, ExporterSpec<?>> all = new LinkedHashMap<>();
    all.put(PatroniExporter.NAME, PatroniExporter.SPEC);
    all.put(PostgresExporter.NAME, PostgresExporter.SPEC);
    all.put(EtcdExporter.NAME, EtcdExporter.SPEC);
    return all;
  }

  public static void main(String[] args) {
    Launch.exit(execute(args, System.getenv(), System.out, System.err));
  }

  /** Runs the command line: the exit code, or {@link Launch#RUNNING} once every exporter listens. */
  static int execute(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    List<Group> groups = new ArrayList<>();
    PghaExporters command = new PghaExporters(groups, env, out, err);
    CommandLine line = ExporterCommand.commandLine(command, PROGRAM, out, err);
    int first = firstGroup(line, args);
    groups.addAll(groups(Arrays.copyOfRange(args, first, args.length)));
    return line.execute(Arrays.copyOfRange(args, 0, first));
  }

  /** Where the groups begin: at the first argument that is neither a process flag nor a flag's value. */
  private static int firstGroup(CommandLine line, String[] args) {
    int i = 0;
    while (i < args.length && args[i].startsWith("-")) {
      OptionSpec option = line.getCommandSpec().findOption(args[i]);
      boolean takesValue = option != null && option.arity().min() > 0;
      i += takesValue ? 2 : 1;
    }
    return Math.min(i, args.length);
  }

  /** The groups of the command line, split at {@code --}, in order. */
  static List<Group> groups(String[] args) {
    List<Group> groups = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("--")) {
        add(groups, current);
        current = new ArrayList<>();
      } else {
        current.add(arg);
      }
    }
    add(groups, current);
    return groups;
  }

  private static void add(List<Group> groups, List<String> group) {
    if (!group.isEmpty()) {
      groups.add(new Group(group.get(0), List.copyOf(group.subList(1, group.size()))));
    }
  }

  @Override
  public Integer call() {
    List<String> errors = new ArrayList<>();
    List<ExporterSpec<?>> specs = new ArrayList<>();
    for (Group g : groups) {
      ExporterSpec<?> spec = EXPORTERS.get(g.exporter());
      if (spec == null) {
        errors.add(ERROR + "unknown exporter '" + g.exporter() + "' (" + String.join(", ", EXPORTERS.keySet()) + ")");
      } else if (specs.contains(spec)) {
        errors.add(ERROR + "exporter '" + g.exporter() + "' given twice");
      } else {
        specs.add(spec);
      }
    }
    if (groups.isEmpty()) {
      errors.add(ERROR + "no exporter given (" + String.join(", ", EXPORTERS.keySet()) + ")");
    }
    try {
      process.applyLogging(specs);
    } catch (ConfigException e) {
      errors.add(ERROR + e.getMessage());
    }
    List<ExporterConfig<?>> configs = errors.isEmpty() ? load(errors) : List.of();
    if (!errors.isEmpty()) {
      errors.forEach(e -> err.println(PROGRAM + ": " + e));
      return Launch.CONFIG_ERROR;
    }
    return Launch.run(PROGRAM, configs, process.configCheck(), out, err);
  }

  /** Every group's configuration, or the errors, each naming its exporter. */
  private List<ExporterConfig<?>> load(List<String> errors) {
    List<ExporterConfig<?>> configs = new ArrayList<>();
    for (Group g : groups) {
      try {
        ExporterOptions flags = ExporterOptions.parse(g.flags().toArray(String[]::new));
        ExporterConfig<?> config = ExporterConfig.load(EXPORTERS.get(g.exporter()), flags.given(), env);
        sameAddress(config.web(), configs).ifPresent(other -> {
          throw new ConfigException("web.listen_address", config.web().listenAddress() + " is exporter-" + other + "'s too");
        });
        configs.add(config);
      } catch (ConfigException e) {
        errors.add("configuration error in exporter-" + g.exporter() + ": " + e.getMessage());
      }
    }
    return configs;
  }

  /** An exporter already configured to listen where this one would: the second could not start. */
  private static Optional<String> sameAddress(WebSettings web, List<ExporterConfig<?>> before) {
    if (web.port() == 0) {
      return Optional.empty();
    }
    return before.stream()
        .filter(c -> c.web().port() == web.port() && (c.web().host().equals(web.host()) || wildcard(c.web().host())
            || wildcard(web.host())))
        .map(ExporterConfig::name).findFirst();
  }

  private static boolean wildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::");
  }
}
