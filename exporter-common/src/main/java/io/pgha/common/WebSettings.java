package io.pgha.common;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Where and how the exporter serves, after flags, environment and YAML are combined. */
public record WebSettings(
    String host, int port, String telemetryPath, Optional<Path> webConfigFile, Duration scrapeTimeout) {

  public String listenAddress() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
