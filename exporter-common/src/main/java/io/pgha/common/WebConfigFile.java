package io.pgha.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.pgha.common.tls.TlsFileException;
import io.pgha.common.tls.TlsFiles;
import io.pgha.common.tls.TlsMaterial;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the Prometheus exporter-toolkit web configuration ({@code --web.config.file}): TLS
 * certificate and key, optional client certificates, basic-auth users with bcrypt hashes and
 * extra response headers. Relative paths are relative to the file's own directory, as in the
 * toolkit. Errors name the file and the key. The certificate, key and client CA are read again
 * when they change on disk ({@link TlsMaterial}); the file itself is read once, at start.
 */
public final class WebConfigFile {
  private static final List<String> TLS_VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");
  private static final List<String> JSSE_PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

  private WebConfigFile() {}

  /** No file: plain HTTP without authentication. */
  public static WebConfig load(Optional<Path> file) {
    return file.map(WebConfigFile::read).orElseGet(() -> WebConfig.plain(new HttpServerOptions()));
  }

  public static WebConfig read(Path file) {
    JsonNode tree;
    try {
      tree = new YAMLMapper().readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new ConfigException("--web.config.file", "no such file: " + file);
    } catch (IOException e) {
      throw new ConfigException("--web.config.file " + file, "not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    try {
      return parse(ConfigNode.root(tree), file.toAbsolutePath().getParent());
    } catch (ConfigException e) {
      throw new ConfigException("--web.config.file " + file, e.getMessage());
    }
  }

  static WebConfig parse(ConfigNode root, Path dir) {
    root.allowOnly(Set.of("tls_server_config", "http_server_config", "basic_auth_users"));
    HttpServerOptions options = new HttpServerOptions();
    ConfigNode tls = root.get("tls_server_config");
    ConfigNode http = root.get("http_server_config").allowOnly(Set.of("http2", "headers"));
    if (tls.isPresent()) {
      tls(tls, dir, options);
      options.setUseAlpn(http.bool("http2", true));
    }
    return new WebConfig(options, basicAuth(root.get("basic_auth_users")), headers(http.get("headers")));
  }

  private static void tls(ConfigNode tls, Path dir, HttpServerOptions options) {
    tls.allowOnly(Set.of("cert_file", "key_file", "client_auth_type", "client_ca_file", "min_version", "max_version"));
    if (!tls.get("cert_file").isPresent() || !tls.get("key_file").isPresent()) {
      throw new ConfigException(tls.get(tls.get("cert_file").isPresent() ? "key_file" : "cert_file").path(), "is required");
    }
    String clientAuth = tls.optionalString("client_auth_type").orElse("NoClientCert");
    ClientAuth mode = switch (clientAuth) {
      case "NoClientCert" -> ClientAuth.NONE;
      case "VerifyClientCertIfGiven" -> ClientAuth.REQUEST;
      case "RequireAndVerifyClientCert" -> ClientAuth.REQUIRED;
      case "RequestClientCert", "RequireAnyClientCert" -> throw new ConfigException("tls_server_config.client_auth_type",
          clientAuth + " (client certificates without verification) is not supported; use VerifyClientCertIfGiven or RequireAndVerifyClientCert");
      default -> throw new ConfigException("tls_server_config.client_auth_type",
          "unknown value " + clientAuth + " (want NoClientCert, VerifyClientCertIfGiven or RequireAndVerifyClientCert)");
    };
    if (mode != ClientAuth.NONE && !tls.get("client_ca_file").isPresent()) {
      throw new ConfigException("tls_server_config.client_ca_file", "is required with client_auth_type " + clientAuth);
    }
    // Without client authentication a client_ca_file is not used, so it is not read either.
    ConfigNode clientCa = mode == ClientAuth.NONE ? new ConfigNode(null, "tls_server_config.client_ca_file")
        : tls.get("client_ca_file");
    TlsFiles files = TlsFiles.from(clientCa, tls.get("cert_file"), tls.get("key_file"), dir);
    TlsMaterial material;
    try {
      // Read again at every handshake when changed on disk: a renewed certificate needs no restart.
      material = TlsMaterial.server(files);
    } catch (TlsFileException e) {
      throw e.asConfigProblem();
    }
    options.setSsl(true).setKeyCertOptions(KeyCertOptions.wrap(material.keyManager())).setClientAuth(mode);
    if (mode != ClientAuth.NONE) {
      options.setTrustOptions(TrustOptions.wrap(material.trustManager()));
    }

    int min = tlsVersion(tls, "min_version", "TLS12");
    int max = tlsVersion(tls, "max_version", "TLS13");
    if (min > max) {
      throw new ConfigException("tls_server_config.min_version", "is above max_version");
    }
    options.setEnabledSecureTransportProtocols(new LinkedHashSet<>(JSSE_PROTOCOLS.subList(min, max + 1)));
  }

  /** The minor version: TLS10 is 0, TLS13 is 3. */
  private static int tlsVersion(ConfigNode tls, String key, String defaultValue) {
    String value = tls.optionalString(key).orElse(defaultValue);
    int index = TLS_VERSIONS.indexOf(value);
    if (index < 0) {
      throw new ConfigException("tls_server_config." + key, "unknown TLS version " + value + " (want one of " + TLS_VERSIONS + ")");
    }
    return index;
  }

  private static Optional<BasicAuth> basicAuth(ConfigNode users) {
    Map<String, String> hashes = new LinkedHashMap<>();
    users.entries("user names to bcrypt hashes").forEach((user, hash) -> {
      String value = hash.raw().isTextual() ? hash.raw().asText() : "";
      if (user.contains(":")) {
        throw new ConfigException(hash.path(), "a user name must not contain ':'");
      }
      if (!BasicAuth.BCRYPT_HASH.matcher(value).matches()) {
        // Never echo the value: it may be a password pasted by mistake.
        throw new ConfigException(hash.path(), "not a bcrypt hash (want $2a$, $2b$ or $2y$ followed by cost and 53 characters)");
      }
      hashes.put(user, value);
    });
    return hashes.isEmpty() ? Optional.empty() : Optional.of(new BasicAuth(hashes));
  }

  private static Map<String, String> headers(ConfigNode headers) {
    Map<String, String> result = new LinkedHashMap<>();
    headers.entries("header names to values").forEach((name, value) -> result.put(name, value.asString()));
    return result;
  }
}
