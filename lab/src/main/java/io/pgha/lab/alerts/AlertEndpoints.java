package io.pgha.lab.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where {@code ./pgha alerts} looks: Prometheus's address from {@code <workdir>/cluster.json}
 * (written by {@code ./pgha up}) and the receiver's log {@code <workdir>/alerts/notifications.jsonl}.
 */
public record AlertEndpoints(URI prometheus, Path notifications) {

  public static AlertEndpoints fromWorkdir(Path workdir) throws IOException {
    Path file = workdir.resolve("cluster.json");
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": not found (is the cluster up? ./pgha up, or "
          + "--workdir/PGHA_WORKDIR for another cluster)");
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not JSON");
    }
    JsonNode prometheus = root == null ? null : root.get("prometheus");
    if (prometheus == null || !prometheus.isObject()) {
      throw new IllegalArgumentException(file + ": prometheus: missing");
    }
    JsonNode host = prometheus.get("host");
    if (host == null || !host.isTextual() || host.asText().isBlank()) {
      throw new IllegalArgumentException(file + ": prometheus.host: missing or not a string");
    }
    JsonNode port = prometheus.get("port");
    if (port == null || !port.canConvertToInt() || port.asInt() < 1 || port.asInt() > 65535) {
      throw new IllegalArgumentException(file + ": prometheus.port: missing or not a port number");
    }
    String h = host.asText().contains(":") ? "[" + host.asText() + "]" : host.asText();
    return new AlertEndpoints(URI.create("http://" + h + ":" + port.asInt()),
        workdir.resolve("alerts").resolve("notifications.jsonl"));
  }
}
