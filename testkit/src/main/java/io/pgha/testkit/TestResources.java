package io.pgha.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Text files on the test class path (a module's src/test/resources), by absolute resource path. */
public final class TestResources {
  private TestResources() {}

  /** The file's text; fails naming the path when there is no such resource. */
  public static String text(String path) {
    try (InputStream in = TestResources.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
