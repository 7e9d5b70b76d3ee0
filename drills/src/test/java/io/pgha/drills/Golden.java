package io.pgha.drills;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden texts under src/test/resources/drill. When a rendering differs, it is also written to
 * target/golden/NAME so the difference can be looked at (and, if right, copied over the golden file).
 */
final class Golden {

  private Golden() {
  }

  static String text(String name) {
    try (InputStream in = Golden.class.getResourceAsStream("/drill/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden file drill/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The golden text, after keeping {@code actual} in target/golden when it differs. */
  static String expect(String name, String actual) {
    String golden;
    try {
      golden = text(name);
    } catch (IllegalArgumentException e) {
      golden = "";
    }
    if (!golden.equals(actual)) {
      try {
        Path out = Path.of("target", "golden", name);
        Files.createDirectories(out.getParent());
        Files.writeString(out, actual, StandardCharsets.UTF_8);
      } catch (IOException ignored) {
        // only a help for looking at the difference
      }
    }
    return golden;
  }
}
