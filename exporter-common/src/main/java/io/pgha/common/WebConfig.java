package io.pgha.common;

import io.vertx.core.http.HttpServerOptions;
import java.util.Map;
import java.util.Optional;

/**
 * How the exporter's HTTP server protects itself, from {@code --web.config.file}: TLS in the
 * server options, optional basic-auth users, and extra response headers.
 */
public record WebConfig(HttpServerOptions serverOptions, Optional<BasicAuth> basicAuth, Map<String, String> headers) {

  public WebConfig {
    serverOptions = new HttpServerOptions(serverOptions);
    headers = Map.copyOf(headers);
  }

  /** Plain HTTP, no authentication. */
  public static WebConfig plain(HttpServerOptions serverOptions) {
    return new WebConfig(serverOptions, Optional.empty(), Map.of());
  }

  public boolean tls() {
    return serverOptions.isSsl();
  }
}
