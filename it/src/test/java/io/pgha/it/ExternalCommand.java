package io.pgha.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A tool the tests check against (patronictl, promtool), run to completion with a time limit. */
final class ExternalCommand {
  private ExternalCommand() {}

  record Result(int exitCode, String stdout, String stderr) {
    String output() {
      return stdout + stderr;
    }
  }

  /** Runs {@code cmd} with {@code stdin} as its input (null: none) and waits at most {@code timeout}. */
  static Result run(Duration timeout, String stdin, String... cmd) {
    try {
      Path in = Files.createTempFile("pgha-it-in-", ".txt");
      Path out = Files.createTempFile("pgha-it-out-", ".txt");
      Path err = Files.createTempFile("pgha-it-err-", ".txt");
      try {
        Files.writeString(in, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(List.of(cmd)).redirectInput(in.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile());
        // An inherited PGPASSWORD would beat the password files of the tools we run.
        pb.environment().remove("PGPASSWORD");
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(String.join(" ", cmd) + " did not finish in " + timeout);
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
      } finally {
        Files.deleteIfExists(in);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
