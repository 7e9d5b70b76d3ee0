package io.pgha.dashboards;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes every dashboard's JSON into a folder (the committed {@code dashboards/json/}). */
public final class GenerateDashboards {

  private GenerateDashboards() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: GenerateDashboards OUTPUT_DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    for (Dashboard d : Dashboards.all()) {
      Path file = dir.resolve(d.fileName());
      Files.writeString(file, Json.pretty(d.toJson()), StandardCharsets.UTF_8);
      System.out.println("wrote " + file);
    }
  }
}
