package io.pgha.lab.topology;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** Reads and writes {@code <workdir>/cluster.json}. */
public final class ClusterFile {
  public static final String NAME = "cluster.json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private ClusterFile() {}

  public static Path path(Path workdir) {
    return workdir.resolve(NAME);
  }

  /** The one-line JSON text of the contract. */
  public static String toJson(Topology topology) {
    try {
      return JSON.writeValueAsString(topology);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Topology fromJson(String json) {
    try {
      return JSON.readValue(json, Topology.class);
    } catch (IOException e) {
      throw new UncheckedIOException("not a pgha cluster.json: " + e.getMessage(), e);
    }
  }

  /** Written to a temporary file and renamed, so a reader never sees half a file. */
  public static void write(Topology topology) throws IOException {
    Path target = path(topology.workdirPath());
    Path tmp = target.resolveSibling(NAME + ".tmp");
    Files.writeString(tmp, toJson(topology) + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static Optional<Topology> read(Path workdir) throws IOException {
    Path file = path(workdir);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(fromJson(Files.readString(file, StandardCharsets.UTF_8)));
  }
}
