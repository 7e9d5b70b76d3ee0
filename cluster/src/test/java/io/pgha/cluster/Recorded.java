package io.pgha.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Responses recorded from a live cluster (offset 0), under src/test/resources/recorded. */
public final class Recorded {
  private Recorded() {}

  public static String text(String name) {
    try (InputStream in = Recorded.class.getResourceAsStream("/recorded/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no recorded response " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
