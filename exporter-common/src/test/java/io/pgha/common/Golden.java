package io.pgha.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Expected exposition text of golden tests, one file each under the module's
 * {@code src/test/resources/golden/<test class>/<case>.prom}: the whole text, written out, so a
 * change in any HELP line, label or value fails the test and shows in review as a diff of the file.
 */
public final class Golden {
  private Golden() {}

  /** The text of {@code golden/<name>.prom}; fails naming the file when there is none. */
  public static String golden(String name) {
    String path = "/golden/" + name + ".prom";
    try (InputStream in = Golden.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden file " + path + " on the test class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
