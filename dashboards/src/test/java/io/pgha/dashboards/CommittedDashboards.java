package io.pgha.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The committed dashboard files the tests read (what users load into Grafana). */
final class CommittedDashboards {

  static final String REGENERATE = "./mvnw -B -q -pl dashboards -am process-classes -Pgenerate-dashboards";

  private CommittedDashboards() {}

  static Path dir() {
    return Path.of(System.getProperty("pgha.dashboards.dir", "json"));
  }

  static List<Path> files() {
    try (Stream<Path> files = Files.list(dir())) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(Path file) {
    try {
      return Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
