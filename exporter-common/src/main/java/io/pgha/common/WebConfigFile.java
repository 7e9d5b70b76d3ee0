package io.pgha.common;

import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the exporter-toolkit web configuration (TLS and basic auth). */
final class WebConfigFile {
  private WebConfigFile() {}

  static HttpServerOptions serverOptions(Optional<Path> file) {
    if (file.isPresent()) {
      throw new ConfigException("--web.config.file", "TLS and basic auth are not supported yet");
    }
    return new HttpServerOptions();
  }
}
