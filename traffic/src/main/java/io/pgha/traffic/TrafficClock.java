package io.pgha.traffic;

/**
 * Epoch milliseconds that never go backwards: the wall clock read once at the start, advanced by the
 * monotonic clock, so outages are not bent by a clock step and still line up with other logs.
 */
public final class TrafficClock {

  private final long epochMillisAtStart = System.currentTimeMillis();
  private final long nanosAtStart = System.nanoTime();

  public long nowMillis() {
    return epochMillisAtStart + (System.nanoTime() - nanosAtStart) / 1_000_000;
  }

  public long startMillis() {
    return epochMillisAtStart;
  }
}
