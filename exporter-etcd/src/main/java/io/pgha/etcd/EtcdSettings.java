package io.pgha.etcd;

import io.pgha.common.ConfigException;
import io.pgha.common.ConfigNode;
import io.pgha.common.PemFile;
import io.pgha.common.SecretFile;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code etcd} section of the configuration, validated. The password is read from its file
 * whenever a client is built (so a rotated password is used by the next connection)
 * start and kept out of {@link #toString()}, so it cannot reach a log line.
 */
public record EtcdSettings(
    List<URI> endpoints,
    String namespace,
    List<String> scopes,
    Optional<String> username,
    Optional<SecretFile> passwordFile,
    Optional<Path> caFile,
    Duration requestTimeout,
    Duration resyncInterval) {

  static final Set<String> KEYS = Set.of("endpoints", "namespace", "scopes", "username", "password_file",
      "ca_file", "request_timeout", "resync_interval");
  public static final String DEFAULT_NAMESPACE = "/service/";
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);
  static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofSeconds(2);
  /** Patroni's scope is a path element; anything else would make us watch the wrong key. */
  private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9_.@-]+");

  public EtcdSettings {
    endpoints = List.copyOf(endpoints);
    scopes = List.copyOf(scopes);
  }

  public static EtcdSettings from(ConfigNode section) {
    section.allowOnly(KEYS);
    List<URI> endpoints = new ArrayList<>();
    for (ConfigNode item : section.list("endpoints")) {
      URI url = item.asHttpUrl();
      if (url.getPort() < 0) {
        throw new ConfigException(item.path(), "needs an explicit port (etcd's client port, usually 2379): " + url);
      }
      endpoints.add(URI.create(url.getScheme() + "://" + url.getHost() + ":" + url.getPort()));
    }
    long schemes = endpoints.stream().map(URI::getScheme).distinct().count();
    if (schemes > 1) {
      throw new ConfigException("etcd.endpoints", "mixes http and https; use one scheme for all members");
    }
    String namespace = normalizeNamespace(section.optionalString("namespace").orElse(DEFAULT_NAMESPACE));
    List<ConfigNode> scopeNodes = section.list("scopes");
    List<String> scopes = new ArrayList<>();
    for (ConfigNode node : scopeNodes) {
      String scope = node.asString();
      if (!SCOPE.matcher(scope).matches()) {
        throw new ConfigException(node.path(), "not a Patroni scope (letters, digits, '_', '.', '@', '-'): " + scope);
      }
      if (scopes.contains(scope)) {
        throw new ConfigException(node.path(), "listed twice: " + scope);
      }
      scopes.add(scope);
    }
    Optional<String> username = section.optionalString("username");
    Optional<SecretFile> password = section.get("password_file").isPresent()
        ? Optional.of(SecretFile.from(section.get("password_file"))) : Optional.empty();
    if (username.isPresent() != password.isPresent()) {
      throw new ConfigException(section.path() + (username.isPresent() ? ".password_file" : ".username"),
          "is required when " + (username.isPresent() ? "username" : "password_file") + " is set");
    }
    Optional<Path> caFile = section.get("ca_file").isPresent()
        ? Optional.of(PemFile.require(section.get("ca_file"), PemFile.CERTIFICATE)) : Optional.empty();
    if (caFile.isPresent() && endpoints.get(0).getScheme().equals("http")) {
      throw new ConfigException(section.path() + ".ca_file", "is set but the endpoints use http; use https:// endpoints for TLS");
    }
    Duration requestTimeout = positive(section, "request_timeout", DEFAULT_REQUEST_TIMEOUT);
    Duration resyncInterval = positive(section, "resync_interval", DEFAULT_RESYNC_INTERVAL);
    return new EtcdSettings(endpoints, namespace, scopes, username, password, caFile, requestTimeout, resyncInterval);
  }

  /** Patroni's own rule: the namespace starts and ends with a slash. */
  static String normalizeNamespace(String namespace) {
    String ns = namespace.startsWith("/") ? namespace : "/" + namespace;
    return ns.endsWith("/") ? ns : ns + "/";
  }

  /** The key Patroni's leader holds: {@code <namespace><scope>/leader}. */
  public String leaderKey(String scope) {
    return scopePrefix(scope) + "leader";
  }

  public String scopePrefix(String scope) {
    return namespace + scope + "/";
  }

  public boolean tls() {
    return endpoints.get(0).getScheme().equals("https");
  }

  private static Duration positive(ConfigNode section, String key, Duration defaultValue) {
    Duration d = section.duration(key, defaultValue);
    if (d.isZero() || d.isNegative()) {
      throw new ConfigException(section.path() + "." + key, "must be positive");
    }
    return d;
  }

  @Override
  public String toString() {
    return "EtcdSettings[endpoints=" + endpoints + ", namespace=" + namespace + ", scopes=" + scopes
        + ", username=" + username.orElse("-") + ", " + passwordFile.map(SecretFile::toString).orElse("no password_file")
        + ", caFile=" + caFile.map(Path::toString).orElse("-") + ", requestTimeout=" + requestTimeout
        + ", resyncInterval=" + resyncInterval + "]";
  }
}
