package io.pgha.testkit;

/** A sleep for tests that poll: an interrupt ends the test (as a failure) instead of being lost. */
public final class Pause {
  private Pause() {}

  public static void millis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
