package io.pgha.compose;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one of compose/'s shell scripts: no stdin, stderr to the build log, stdout returned. */
final class HostScript {
  private HostScript() {}

  static String run(Path script, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString())
        .directory(script.getParent().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().putAll(env);
    Process process = pb.start();
    // The scripts print one short line on stdout: reading it all before waiting cannot block them.
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      throw new IllegalStateException(script.getFileName() + " did not finish within " + timeout);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(script.getFileName() + " failed with exit code " + process.exitValue());
    }
    return out;
  }
}
