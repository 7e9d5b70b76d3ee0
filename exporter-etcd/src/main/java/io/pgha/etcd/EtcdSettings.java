package io.pgha.etcd;

import io.pgha.common.ConfigException;
import io.pgha.common.ConfigNode;
import io.pgha.common.SecretFile;
import io.pgha.common.tls.TlsFiles;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code etcd} section of the configuration, validated. The password is read from its file
 * whenever a client is built (so a rotated password is used by the next connection) and kept out
 * of {@link #toString()}, so it cannot reach a log line. With https endpoints, {@code ca_file}
 * checks the members' certificates, {@code cert_file} and {@code key_file} are the client
 * certificate etcd's {@code --client-cert-auth} asks for, and {@code server_name} the name the
 * members' certificates are checked for when it is not the endpoints' host.
 */
public record EtcdSettings(
    List<URI> endpoints,
    String namespace,
    List<String> scopes,
    Optional<String> username,
    Optional<SecretFile> passwordFile,
    TlsFiles tlsFiles,
    Optional<String> serverName,
    Duration requestTimeout,
    Duration resyncInterval) {

  static final Set<String> KEYS = Set.of("endpoints", "namespace", "scopes", "username", "password_file",
      "ca_file", "cert_file", "key_file", "server_name", "request_timeout", "resync_interval");
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
    TlsFiles tlsFiles = TlsFiles.from(section.get("ca_file"), section.get("cert_file"), section.get("key_file"));
    Optional<String> serverName = section.optionalString("server_name");
    if (endpoints.get(0).getScheme().equals("http")) {
      for (String key : List.of("ca_file", "cert_file", "key_file", "server_name")) {
        if (section.get(key).isPresent()) {
          throw new ConfigException(section.get(key).path(), "is set but the endpoints use http; use https:// endpoints for TLS");
        }
      }
    }
    Duration requestTimeout = positive(section, "request_timeout", DEFAULT_REQUEST_TIMEOUT);
    Duration resyncInterval = positive(section, "resync_interval", DEFAULT_RESYNC_INTERVAL);
    return new EtcdSettings(endpoints, namespace, scopes, username, password, tlsFiles, serverName, requestTimeout,
        resyncInterval);
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
        + ", tls=" + tlsFiles + serverName.map(n -> ", serverName=" + n).orElse("") + ", requestTimeout=" + requestTimeout
        + ", resyncInterval=" + resyncInterval + "]";
  }
}
