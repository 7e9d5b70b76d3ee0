package io.pgha.traffic;

/**
 * A stretch of time in which writes failed: from the acknowledgement of the last successful write before
 * the failures (or the start of the run) to the acknowledgement of the first successful write after them
 * (or the end of the run, when writes never came back).
 *
 * @param failedWrites how many write attempts failed in between
 * @param recovered false when the run ended before a write succeeded again
 */
public record WriteOutage(long fromMillis, long toMillis, int failedWrites, boolean recovered) {

  public WriteOutage {
    if (toMillis < fromMillis) {
      throw new IllegalArgumentException("outage ends before it starts");
    }
  }

  public long millis() {
    return toMillis - fromMillis;
  }
}
