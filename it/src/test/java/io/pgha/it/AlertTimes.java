package io.pgha.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * How long alerts took to reach the receiver in the live alert tests: one line printed per fault,
 * and the same appended to {@code target/pgha-it/alert-times.tsv}, so the figures of every run
 * stay side by side.
 */
final class AlertTimes {
  private AlertTimes() {}

  /** Prints {@code test fault: what; label after S s; ...} and appends it as one TSV line. */
  static void record(String test, String fault, String what, Object... labelMillisPairs) throws IOException {
    StringBuilder line = new StringBuilder(test + " " + fault + ": " + what);
    StringBuilder tsv = new StringBuilder(Instant.now() + "\t" + fault);
    for (int i = 0; i < labelMillisPairs.length; i += 2) {
      double seconds = ((Number) labelMillisPairs[i + 1]).longValue() / 1000.0;
      line.append(String.format("; %s after %.1f s", labelMillisPairs[i], seconds));
      tsv.append(String.format("\t%s=%.1f", labelMillisPairs[i], seconds));
    }
    System.out.println(line);
    Path out = Path.of(System.getProperty("pgha.it.logs", "target/pgha-it"), "alert-times.tsv");
    Files.createDirectories(out.getParent());
    Files.writeString(out, tsv.append('\n'), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
