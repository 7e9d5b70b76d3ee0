package io.pgha.lab.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How {@code pgha up} runs the three exporters: all three in one JVM (the default, exporters'
 * {@code pgha-exporters.jar}), which needs less than half the memory of three (see
 * docs/benchmarks.md), or one JVM each, as their own jars run them (each can then be stopped alone).
 * A work dir remembers its choice, like its offset.
 */
public enum ExporterJvms {
  SEPARATE, ONE;

  static final String FILE = "exporter-jvms";

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ExporterJvms parse(String text) {
    for (ExporterJvms m : values()) {
      if (m.label().equals(text.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException("--exporter-jvms must be one or separate, got " + text);
  }

  /** The work dir's choice; one JVM when it never made one. */
  public static ExporterJvms of(Path workdir) {
    try {
      return parse(Files.readString(workdir.resolve(FILE), StandardCharsets.US_ASCII).strip());
    } catch (IOException | IllegalArgumentException e) {
      return ONE;
    }
  }

  public void save(Path workdir) throws IOException {
    Files.writeString(workdir.resolve(FILE), label() + "\n", StandardCharsets.US_ASCII);
  }
}
