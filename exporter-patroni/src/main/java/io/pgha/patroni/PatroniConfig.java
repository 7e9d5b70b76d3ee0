package io.pgha.patroni;

import io.pgha.common.ConfigException;
import io.pgha.common.ConfigNode;
import io.pgha.common.SecretFile;
import io.pgha.common.tls.TlsFiles;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code patroni:} section: one entry per cluster (scope) with its members' REST API base
 * URLs. {@code username}, {@code password_file}, {@code ca_file}, {@code cert_file} and
 * {@code key_file} (a client certificate, for {@code restapi.verify_client}),
 * {@code insecure_skip_verify}, {@code request_timeout} and {@code refresh_interval} may be given for
 * all clusters and overridden per cluster.
 */
public record PatroniConfig(List<Scope> scopes) {
  private static final Logger LOG = LoggerFactory.getLogger(PatroniConfig.class);
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);
  static final Duration MIN_REFRESH_INTERVAL = Duration.ofMillis(100);
  private static final Set<String> COMMON = Set.of("username", "password_file", "ca_file", "cert_file", "key_file",
      "insecure_skip_verify", "request_timeout", "refresh_interval");
  private static final List<String> TLS_KEYS = List.of("ca_file", "cert_file", "key_file", "insecure_skip_verify");

  /** Basic-auth credentials for Patroni's REST API; the password is read from its file at each request. */
  record Credentials(String username, SecretFile passwordFile) {}

  /**
   * How the members' certificates are checked and ours presented: the files, and whether the
   * server's certificate is checked at all ({@code insecure_skip_verify} turns that off).
   */
  record Tls(TlsFiles files, boolean verifyServer) {
    static final Tls DEFAULT = new Tls(TlsFiles.NONE, true);
  }

  /**
   * One Patroni cluster to watch. With a {@code refreshInterval} its members are read in the
   * background at that interval and scrapes are answered from the last round; without one, each
   * scrape reads them.
   */
  record Scope(String scope, List<URI> members, Optional<Credentials> credentials, Tls tls, Duration requestTimeout,
      Optional<Duration> refreshInterval) {}

  static PatroniConfig parse(ConfigNode section) {
    Set<String> top = new HashSet<>(COMMON);
    top.add("clusters");
    section.allowOnly(top);
    Set<String> perCluster = new HashSet<>(COMMON);
    perCluster.add("scope");
    perCluster.add("members");

    List<Scope> scopes = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ConfigNode cluster : section.list("clusters")) {
      cluster.allowOnly(perCluster);
      String scope = cluster.string("scope");
      if (!seen.add(scope)) {
        throw new ConfigException(cluster.path() + ".scope", "scope " + scope + " is listed twice");
      }
      List<URI> members = members(cluster);
      scopes.add(new Scope(scope, members, credentials(cluster, section), tls(cluster, section, members),
          requestTimeout(cluster, section), refreshInterval(cluster, section)));
    }
    if (scopes.stream().allMatch(s -> s.members().stream().allMatch(m -> m.getScheme().equals("http")))) {
      for (String key : TLS_KEYS) {
        if (section.get(key).isPresent()) {
          throw new ConfigException(section.get(key).path(), "is set but the members use http; use https:// member URLs for TLS");
        }
      }
    }
    return new PatroniConfig(List.copyOf(scopes));
  }

  private static List<URI> members(ConfigNode cluster) {
    List<URI> members = new ArrayList<>();
    for (ConfigNode member : cluster.list("members")) {
      URI url = member.asHttpUrl();
      if (url.getRawUserInfo() != null) {
        throw new ConfigException(member.path(), "must not carry credentials; use username and password_file");
      }
      if (url.getPort() < 0) {
        throw new ConfigException(member.path(), "needs a port (Patroni's REST API listens on 8008 by default)");
      }
      String path = url.getRawPath();
      if ((path != null && !path.isEmpty() && !path.equals("/")) || url.getRawQuery() != null) {
        throw new ConfigException(member.path(), "must be the REST API's base URL without a path, e.g. http://127.0.0.21:8008");
      }
      URI base = URI.create(url.getScheme() + "://" + url.getRawAuthority());
      if (members.contains(base)) {
        throw new ConfigException(member.path(), base + " is listed twice");
      }
      members.add(base);
    }
    return List.copyOf(members);
  }

  /** The key from the cluster entry if it is there, else from the section. */
  private static ConfigNode pick(ConfigNode cluster, ConfigNode section, String key) {
    ConfigNode own = cluster.get(key);
    return own.isPresent() ? own : section.get(key);
  }

  private static Optional<Credentials> credentials(ConfigNode cluster, ConfigNode section) {
    ConfigNode user = pick(cluster, section, "username");
    ConfigNode passwordFile = pick(cluster, section, "password_file");
    if (!user.isPresent() && !passwordFile.isPresent()) {
      return Optional.empty();
    }
    if (!user.isPresent()) {
      throw new ConfigException(cluster.path() + ".username", "is required with password_file");
    }
    if (!passwordFile.isPresent()) {
      throw new ConfigException(cluster.path() + ".password_file", "is required with username");
    }
    return Optional.of(new Credentials(user.asString(), SecretFile.from(passwordFile)));
  }

  private static Tls tls(ConfigNode cluster, ConfigNode section, List<URI> members) {
    ConfigNode holder = cluster.get("insecure_skip_verify").isPresent() ? cluster : section;
    boolean insecure = holder.bool("insecure_skip_verify", false);
    TlsFiles files = TlsFiles.from(pick(cluster, section, "ca_file"), pick(cluster, section, "cert_file"),
        pick(cluster, section, "key_file"));
    boolean https = members.stream().anyMatch(m -> m.getScheme().equals("https"));
    if (!https) {
      for (String key : TLS_KEYS) {
        if (cluster.get(key).isPresent()) {
          throw new ConfigException(cluster.get(key).path(), "is set but the members use http; use https:// member URLs for TLS");
        }
      }
    }
    if (insecure) {
      String path = holder.get("insecure_skip_verify").path();
      if (files.ca().isPresent()) {
        throw new ConfigException(path, "is true but ca_file is set too; drop one of them");
      }
      LOG.warn("{}: true: the members' certificates are not checked, so anyone between the exporter and Patroni "
          + "can read and change what it reports; give ca_file instead", path);
    }
    return new Tls(files, !insecure);
  }

  /** Absent (the default): the members are read on each scrape. */
  private static Optional<Duration> refreshInterval(ConfigNode cluster, ConfigNode section) {
    ConfigNode holder = cluster.get("refresh_interval").isPresent() ? cluster : section;
    Duration interval = holder.duration("refresh_interval", null);
    if (interval == null) {
      return Optional.empty();
    }
    if (interval.compareTo(MIN_REFRESH_INTERVAL) < 0) {
      throw new ConfigException(holder.get("refresh_interval").path(), "must be at least " + MIN_REFRESH_INTERVAL.toMillis()
          + "ms (each round asks every member); leave it out to read the members on each scrape");
    }
    return Optional.of(interval);
  }

  private static Duration requestTimeout(ConfigNode cluster, ConfigNode section) {
    ConfigNode own = cluster.get("request_timeout");
    ConfigNode holder = own.isPresent() ? cluster : section;
    Duration timeout = holder.duration("request_timeout", DEFAULT_REQUEST_TIMEOUT);
    if (timeout.isZero()) {
      throw new ConfigException(holder.get("request_timeout").path(), "must be positive");
    }
    return timeout;
  }
}
