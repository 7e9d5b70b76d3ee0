package io.pgha.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Versions of the programs measured, as they report them. */
final class Versions {
  private Versions() {}

  /** The first line a command prints (stdout and stderr), or "unknown". */
  static String firstLine(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      String text = new String(out, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "unknown" : text.lines().findFirst().orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
