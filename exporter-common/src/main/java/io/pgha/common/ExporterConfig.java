package io.pgha.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One exporter's configuration, read and validated in full before anything listens: flags,
 * environment and the YAML file (flags win over environment, which wins over YAML), the web config
 * file, and the exporter's own section with the files it names. Every error is a
 * {@link ConfigException} naming the flag or key, e.g. {@code patroni.clusters[0].members[1]: not a URL}.
 *
 * @param masked the YAML as the landing page shows it, every secret-looking value masked
 */
public record ExporterConfig<C>(ExporterSpec<C> spec, WebSettings web, WebConfig webConfig, C config, JsonNode masked) {
  static final Duration DEFAULT_SCRAPE_TIMEOUT = Duration.ofSeconds(4);

  public String name() {
    return spec.name();
  }

  /** Reads and validates everything; {@code flags} by name ({@link ExporterOptions#given()}). */
  public static <C> ExporterConfig<C> load(ExporterSpec<C> spec, Map<String, String> flags, Map<String, String> env) {
    String configFlag = pick(flags.get(ExporterOptions.CONFIG), env.get("PGHA_CONFIG"));
    if (configFlag == null) {
      throw new ConfigException(ExporterOptions.CONFIG, "is required (a YAML file with a '" + spec.name() + "' section)");
    }
    JsonNode tree = readYaml(Path.of(configFlag));
    ConfigNode root = ConfigNode.root(tree).allowOnly(Set.of("web", "scrape", spec.name()));
    WebSettings web = webSettings(root, flags, env, spec.defaultPort());
    ConfigNode section = root.required(spec.name());
    WebConfig webConfig = WebConfigFile.load(web.webConfigFile());
    C config = spec.reader().read(section, env);
    return new ExporterConfig<>(spec, web, webConfig, config, masked(tree));
  }

  static JsonNode readYaml(Path file) {
    try {
      JsonNode tree = new YAMLMapper().readTree(Files.readString(file));
      if (tree == null || tree.isMissingNode() || !tree.isObject()) {
        throw new ConfigException(file.toString(), "must contain a YAML mapping");
      }
      return tree;
    } catch (NoSuchFileException e) {
      throw new ConfigException(ExporterOptions.CONFIG, "no such file: " + file);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "not valid YAML: " + ErrorText.firstLine(e));
    }
  }

  static WebSettings webSettings(ConfigNode root, Map<String, String> flags, Map<String, String> env, int defaultPort) {
    ConfigNode webNode = root.get("web").allowOnly(Set.of("listen_address", "telemetry_path", "config_file"));
    ConfigNode scrapeNode = root.get("scrape").allowOnly(Set.of("timeout"));
    String listen = pick(flags.get(ExporterOptions.LISTEN_ADDRESS), env.get("PGHA_WEB_LISTEN_ADDRESS"),
        webNode.optionalString("listen_address").orElse(null), "127.0.0.1:" + defaultPort);
    String where = flags.containsKey(ExporterOptions.LISTEN_ADDRESS) ? ExporterOptions.LISTEN_ADDRESS : "web.listen_address";
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
    String path = pick(flags.get(ExporterOptions.TELEMETRY_PATH), env.get("PGHA_WEB_TELEMETRY_PATH"),
        webNode.optionalString("telemetry_path").orElse(null), "/metrics");
    if (!path.startsWith("/") || path.equals("/") || path.equals("/-/healthy")) {
      throw new ConfigException("web.telemetry_path", "must start with / and not be / or /-/healthy, got " + path);
    }
    String webConfig = pick(flags.get(ExporterOptions.WEB_CONFIG_FILE), env.get("PGHA_WEB_CONFIG_FILE"),
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
      node.forEach(ExporterConfig::mask);
    }
  }

  private static String pick(String... candidates) {
    for (String c : candidates) {
      if (c != null && !c.isBlank()) {
        return c;
      }
    }
    return null;
  }
}
