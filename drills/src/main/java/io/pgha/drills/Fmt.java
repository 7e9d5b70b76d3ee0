package io.pgha.drills;

import java.util.Locale;
import java.util.OptionalLong;

/** How figures read in the console and the report. Pure. */
public final class Fmt {

  private Fmt() {
  }

  /** {@code 9.6 s}, {@code 0.3 s}, {@code 72 s} (tenths below 100 s). */
  public static String seconds(long millis) {
    // + 0.0 turns a rounded -0.0 into 0.0: "-0.0 s" reads like a sign error.
    double s = Math.round(millis / 100.0) / 10.0 + 0.0;
    return Math.abs(s) < 100 ? String.format(Locale.ROOT, "%.1f s", s) : String.format(Locale.ROOT, "%.0f s", s);
  }

  public static String seconds(OptionalLong millis, String otherwise) {
    return millis.isPresent() ? seconds(millis.getAsLong()) : otherwise;
  }

  /** {@code 1.2 MiB}, {@code 345 B}. */
  public static String bytes(long bytes) {
    long abs = Math.abs(bytes);
    if (abs < 1024) {
      return bytes + " B";
    }
    if (abs < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }

  /** {@code 1}, {@code 2.5}: integers without a fraction. */
  public static String number(double value) {
    return value == Math.rint(value) && !Double.isInfinite(value) ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.2f", value);
  }
}
