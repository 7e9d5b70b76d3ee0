package io.pgha.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one exporter: reads flags, environment and the YAML file, validates, builds the
 * collectors through the exporter's factory and serves them. Flags win over environment, which
 * wins over YAML. Every error names the flag or key at fault.
 */
public final class ExporterLauncher {

  /** Builds an exporter's collectors from its section of the configuration. */
  @FunctionalInterface
  public interface CollectorFactory {
    List<ScrapeCollector> create(Vertx vertx, ConfigNode section);
  }

  /** A started exporter. Closing it stops the server and closes collectors that are closeable. */
  public record Running(Vertx vertx, int port, List<ScrapeCollector> collectors) implements AutoCloseable {
    @Override
    public void close() {
      // Stop serving first: the server refuses new connections and lets scrapes in flight finish
      // while the collectors' clients are still open. Then close the clients and Vert.x.
      for (String deployment : vertx.deploymentIDs()) {
        try {
          vertx.undeploy(deployment).await(ExporterServer.SHUTDOWN_GRACE_MILLIS + 1_000, TimeUnit.MILLISECONDS);
        } catch (Exception ignored) {
          // Bounded: what did not finish in the grace period is cut by vertx.close() below.
        }
      }
      for (ScrapeCollector c : collectors) {
        if (c instanceof AutoCloseable closeable) {
          try {
            closeable.close();
          } catch (Exception ignored) {
            // Shutting down: nothing useful to do with a failed close.
          }
        }
      }
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // Best effort within the bound.
      }
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(ExporterLauncher.class);
  static final Set<String> FLAGS = Set.of("--config", "--web.listen-address", "--web.telemetry-path", "--web.config.file");
  private static final Duration DEFAULT_SCRAPE_TIMEOUT = Duration.ofSeconds(4);

  private ExporterLauncher() {}

  /** The main method of an exporter: exits 2 on bad configuration, 1 when it cannot serve. */
  public static void main(String exporter, int defaultPort, String[] args, CollectorFactory factory) {
    configureLogging();
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(usage(exporter, defaultPort));
      return;
    }
    Running running;
    try {
      running = start(exporter, defaultPort, args, System.getenv(), factory);
    } catch (ConfigException e) {
      System.err.println("pgha-exporter-" + exporter + ": configuration error: " + e.getMessage());
      System.exit(2);
      return;
    } catch (RuntimeException e) {
      System.err.println("pgha-exporter-" + exporter + ": cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    // SIGTERM and SIGINT run this hook: stop accepting, let scrapes in flight finish (bounded by
    // ExporterServer.SHUTDOWN_GRACE_MILLIS), close the clients, then the JVM exits.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      long start = System.nanoTime();
      LOG.info("pgha exporter {} shutting down", exporter);
      running.close();
      LOG.info("pgha exporter {} stopped in {} ms", exporter, (System.nanoTime() - start) / 1_000_000);
    }, "pgha-shutdown"));
  }

  /** Starts an exporter and returns once it listens. */
  public static Running start(String exporter, int defaultPort, String[] args, Map<String, String> env, CollectorFactory factory) {
    Map<String, String> flags = parseFlags(args);
    String configFlag = flags.getOrDefault("--config", env.get("PGHA_CONFIG"));
    if (configFlag == null) {
      throw new ConfigException("--config", "is required (a YAML file with a '" + exporter + "' section)");
    }
    JsonNode tree = readYaml(Path.of(configFlag));
    ConfigNode root = ConfigNode.root(tree).allowOnly(Set.of("web", "scrape", exporter));
    WebSettings web = webSettings(root, flags, env, defaultPort);
    ConfigNode section = root.required(exporter);
    WebConfig webConfig = WebConfigFile.load(web.webConfigFile());

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
    try {
      List<ScrapeCollector> collectors = factory.create(vertx, section);
      ScrapeEngine engine = new ScrapeEngine(vertx, exporter, version(), collectors);
      ExporterServer server = new ExporterServer(engine, web,
          LandingPage.html(exporter, web, masked(tree), webConfig), webConfig);
      vertx.deployVerticle(server).await(10, TimeUnit.SECONDS);
      return new Running(vertx, server.actualPort(), collectors);
    } catch (ConfigException e) {
      vertx.close();
      throw e;
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("cannot listen on " + web.listenAddress() + ": " + rootMessage(e), e);
    }
  }

  static Map<String, String> parseFlags(String[] args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!FLAGS.contains(name)) {
        throw new ConfigException(name, "unknown flag (known: " + String.join(", ", FLAGS.stream().sorted().toList()) + ")");
      }
      if (value == null) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new ConfigException(name, "needs a value");
        }
        value = args[++i];
      }
      flags.put(name, value);
    }
    return flags;
  }

  static JsonNode readYaml(Path file) {
    try {
      JsonNode tree = new YAMLMapper().readTree(Files.readString(file));
      if (tree == null || tree.isMissingNode() || !tree.isObject()) {
        throw new ConfigException(file.toString(), "must contain a YAML mapping");
      }
      return tree;
    } catch (NoSuchFileException e) {
      throw new ConfigException("--config", "no such file: " + file);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "not valid YAML: " + firstLine(e.getMessage()));
    }
  }

  static WebSettings webSettings(ConfigNode root, Map<String, String> flags, Map<String, String> env, int defaultPort) {
    ConfigNode webNode = root.get("web").allowOnly(Set.of("listen_address", "telemetry_path", "config_file"));
    ConfigNode scrapeNode = root.get("scrape").allowOnly(Set.of("timeout"));
    String listen = pick(flags.get("--web.listen-address"), env.get("PGHA_WEB_LISTEN_ADDRESS"),
        webNode.optionalString("listen_address").orElse(null), "127.0.0.1:" + defaultPort);
    String where = flags.containsKey("--web.listen-address") ? "--web.listen-address" : "web.listen_address";
    int colon = listen.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigException(where, "want host:port, got " + listen);
    }
    String host = listen.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ConfigException(where, "port must be a number, got " + listen);
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException(where, "port must be between 0 and 65535, got " + port);
    }
    if (host.isEmpty()) {
      host = "0.0.0.0";
    }
    String path = pick(flags.get("--web.telemetry-path"), env.get("PGHA_WEB_TELEMETRY_PATH"),
        webNode.optionalString("telemetry_path").orElse(null), "/metrics");
    if (!path.startsWith("/") || path.equals("/") || path.equals("/-/healthy")) {
      throw new ConfigException("web.telemetry_path", "must start with / and not be / or /-/healthy, got " + path);
    }
    String webConfig = pick(flags.get("--web.config.file"), env.get("PGHA_WEB_CONFIG_FILE"),
        webNode.optionalString("config_file").orElse(null), null);
    Duration timeout = scrapeNode.duration("timeout", DEFAULT_SCRAPE_TIMEOUT);
    if (timeout.isZero() || timeout.isNegative()) {
      throw new ConfigException("scrape.timeout", "must be positive");
    }
    return new WebSettings(host, port, path, Optional.ofNullable(webConfig).map(Path::of), timeout);
  }

  /** The configuration as shown on the landing page: every secret-looking value masked. */
  static JsonNode masked(JsonNode tree) {
    JsonNode copy = tree.deepCopy();
    mask(copy);
    return copy;
  }

  private static void mask(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      for (String name : names) {
        String lower = name.toLowerCase();
        boolean secret = (lower.contains("password") || lower.contains("secret") || lower.contains("token"))
            && !lower.endsWith("_file");
        if (secret) {
          object.put(name, "<secret>");
        } else {
          mask(object.get(name));
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(ExporterLauncher::mask);
    }
  }

  static String version() {
    String v = ExporterLauncher.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  private static String pick(String... candidates) {
    for (String c : candidates) {
      if (c != null && !c.isBlank()) {
        return c;
      }
    }
    return null;
  }

  private static String rootMessage(Throwable t) {
    Throwable cause = t;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  private static void configureLogging() {
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
  }

  static String usage(String exporter, int defaultPort) {
    return """
        Usage: pgha-exporter-%1$s --config FILE [flags]

          --config FILE                YAML configuration with a '%1$s' section (env PGHA_CONFIG)
          --web.listen-address ADDR    host:port to serve on (default 127.0.0.1:%2$d, env PGHA_WEB_LISTEN_ADDRESS)
          --web.telemetry-path PATH    path of the metrics (default /metrics)
          --web.config.file FILE       TLS and basic auth, in the Prometheus exporter-toolkit format
        """.formatted(exporter, defaultPort);
  }

  static ObjectMapper json() {
    return new ObjectMapper();
  }
}
