package io.pgha.lab.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs iptables, iptables-restore and ss and returns what they printed; a failure names the command and its message. */
final class Commands {

  /** What a command printed, and its exit code. */
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  private static final long TIMEOUT_SECONDS = 30;

  private Commands() {
  }

  static Result run(List<String> command) {
    return run(command, "");
  }

  /** Runs it with {@code input} on its standard input. */
  static Result run(List<String> command, String input) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (java.io.OutputStream stdin = p.getOutputStream()) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      }
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, String.join(" ", command) + ": no answer within " + TIMEOUT_SECONDS + " s");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, "cannot run " + command.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted running " + command.get(0));
    }
  }

  /** Runs it and fails unless it exits 0. */
  static String check(List<String> command) {
    return check(command, "");
  }

  /** Runs it with {@code input} on its standard input and fails unless it exits 0. */
  static String check(List<String> command, String input) {
    Result r = run(command, input);
    if (!r.ok()) {
      throw new IllegalStateException(String.join(" ", command) + " failed (exit " + r.exitCode() + "): "
          + r.output().strip());
    }
    return r.output();
  }
}
