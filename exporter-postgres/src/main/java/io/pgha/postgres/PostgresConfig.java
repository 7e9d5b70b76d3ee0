package io.pgha.postgres;

import io.pgha.common.ConfigException;
import io.pgha.common.ConfigNode;
import io.pgha.common.SecretFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.postgresql.Driver;

/**
 * The {@code postgres} section of the exporter configuration, validated: every error names its
 * key, e.g. {@code postgres.targets[1].port: must be between 1 and 65535}.
 */
public record PostgresConfig(
    Credentials credentials,
    Duration connectTimeout,
    Duration statementTimeout,
    Duration databaseSizeInterval,
    List<PostgresTarget> targets) {

  public static final String PASSWORD_ENV = "PGHA_POSTGRES_PASSWORD";
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(2);
  static final Duration DEFAULT_DATABASE_SIZE_INTERVAL = Duration.ofMinutes(5);

  private static final Set<String> KEYS = Set.of("username", "password_file", "connect_timeout",
      "statement_timeout", "database_size_interval", "targets", "sslmode", "sslrootcert", "sslcert", "sslkey");
  private static final Set<String> TARGET_KEYS = Set.of("scope", "member", "host", "port", "database",
      "url", "data_directory", "sslmode", "sslrootcert", "sslcert", "sslkey");
  /** SSL settings a URL could carry that pgha reads from its own keys (PEM keys, reloaded on change). */
  private static final List<String> URL_SSL_FILES = List.of("sslrootcert", "sslcert", "sslkey", "sslfactory",
      "sslfactoryarg", "sslpassword", "sslpasswordcallback", "sslhostnameverifier");

  public static PostgresConfig parse(ConfigNode section, Map<String, String> env) {
    section.allowOnly(KEYS);
    String username = section.string("username");
    String envPassword = env.get(PASSWORD_ENV);
    SecretFile file = envPassword == null && section.get("password_file").isPresent()
        ? SecretFile.from(section.get("password_file")) : null;
    Duration connectTimeout = positive(section, "connect_timeout", DEFAULT_CONNECT_TIMEOUT);
    Duration statementTimeout = positive(section, "statement_timeout", DEFAULT_STATEMENT_TIMEOUT);
    Duration sizeInterval = section.duration("database_size_interval", DEFAULT_DATABASE_SIZE_INTERVAL);
    List<PostgresTarget> targets = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (ConfigNode node : section.list("targets")) {
      PostgresTarget target = target(node, section);
      String key = target.scope() + "/" + target.member();
      String previous = seen.putIfAbsent(key, node.path());
      if (previous != null) {
        throw new ConfigException(node.path(), "duplicate scope/member " + key + " (also " + previous + ")");
      }
      targets.add(target);
    }
    return new PostgresConfig(new Credentials(username, envPassword, file), connectTimeout, statementTimeout,
        sizeInterval, List.copyOf(targets));
  }

  private static PostgresTarget target(ConfigNode node, ConfigNode section) {
    node.allowOnly(TARGET_KEYS);
    String scope = node.string("scope");
    String member = node.string("member");
    Optional<Path> dataDirectory = node.optionalString("data_directory").map(Path::of);
    if (dataDirectory.isPresent() && !dataDirectory.get().isAbsolute()) {
      throw new ConfigException(node.get("data_directory").path(), "must be an absolute path");
    }
    Optional<String> url = node.optionalString("url");
    if (url.isPresent()) {
      for (String exclusive : List.of("host", "port", "database")) {
        if (node.get(exclusive).isPresent()) {
          throw new ConfigException(node.get(exclusive).path(), "give either url or host/port/database, not both");
        }
      }
      return fromUrl(node, section, url.get(), scope, member, dataDirectory);
    }
    String host = node.string("host");
    int port = node.integer("port", 5432, 1, 65535);
    String database = node.optionalString("database").orElse("postgres");
    String hostPart = host.contains(":") ? "[" + host + "]" : host;
    String address = hostPart + ":" + port + "/" + database;
    return new PostgresTarget(scope, member, "jdbc:postgresql://" + address, address, dataDirectory,
        PgSsl.read(node, section, null));
  }

  private static PostgresTarget fromUrl(ConfigNode node, ConfigNode section, String url, String scope, String member,
      Optional<Path> dataDirectory) {
    String path = node.get("url").path();
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new ConfigException(path, "not a PostgreSQL JDBC URL (want jdbc:postgresql://host:port/database)");
    }
    Properties parsed = Driver.parseURL(url, new Properties());
    if (parsed == null) {
      throw new ConfigException(path, "not a valid PostgreSQL JDBC URL");
    }
    if (parsed.containsKey("password") || parsed.containsKey("user")) {
      // A URL ends up in logs and on the landing page; credentials belong in username/password_file.
      throw new ConfigException(path, "must not contain user or password (use postgres.username and password_file or "
          + PASSWORD_ENV + ")");
    }
    for (String key : URL_SSL_FILES) {
      if (parsed.containsKey(key)) {
        throw new ConfigException(path, "must not set " + key + "; give the target's sslrootcert, sslcert and sslkey "
            + "(PEM files, read again when they change)");
      }
    }
    String address = parsed.getProperty("PGHOST") + ":" + parsed.getProperty("PGPORT") + "/" + parsed.getProperty("PGDBNAME");
    return new PostgresTarget(scope, member, url, address, dataDirectory,
        PgSsl.read(node, section, parsed.getProperty("sslmode")));
  }

  private static Duration positive(ConfigNode section, String key, Duration defaultValue) {
    Duration d = section.duration(key, defaultValue);
    if (d.toMillis() < 100) {
      throw new ConfigException(section.get(key).path(), "must be at least 100ms");
    }
    return d;
  }
}
