package io.pgha.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine's 1-minute load average before and after a measurement. Other work on the machine
 * slows every figure; printing the load beside each one says how much to trust it.
 */
public record LoadAverage(double before, double after) {

  /** The 1-minute load average now (NaN when /proc/loadavg cannot be read). */
  public static double now() {
    try {
      return parse(Files.readString(Path.of("/proc/loadavg")));
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  static double parse(String loadavg) {
    String[] f = loadavg.trim().split("\\s+");
    return Double.parseDouble(f[0]);
  }

  /** Starts a range: call {@link #until()} when the measurement ends. */
  public static Start start() {
    return new Start(now());
  }

  /** The load when a measurement started. */
  public record Start(double before) {
    public LoadAverage until() {
      return new LoadAverage(before, now());
    }
  }

  public LoadAverage merge(LoadAverage later) {
    return new LoadAverage(before, later.after);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%.1f->%.1f", before, after);
  }
}
