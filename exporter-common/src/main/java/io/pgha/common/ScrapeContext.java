package io.pgha.common;

import io.vertx.core.Vertx;

/**
 * What a collector knows about the scrape it serves: the Vert.x instance, the deadline, and whether
 * the scrape is over. One instance per scrape: collectors of a scrape are handed the same one, and
 * what they share within it ({@link ScrapeMemo}) is keyed by its identity.
 */
public final class ScrapeContext {
  private final Vertx vertx;
  private final long deadlineNanos;
  /** Set by the engine once the scrape's result is assembled; read on the collectors' contexts. */
  private volatile boolean over;

  public ScrapeContext(Vertx vertx, long deadlineNanos) {
    this.vertx = vertx;
    this.deadlineNanos = deadlineNanos;
  }

  public static ScrapeContext withTimeout(Vertx vertx, long timeoutMillis) {
    return new ScrapeContext(vertx, System.nanoTime() + timeoutMillis * 1_000_000L);
  }

  public Vertx vertx() {
    return vertx;
  }

  public long deadlineNanos() {
    return deadlineNanos;
  }

  /** Milliseconds left before the deadline, at least 1 so it can be passed as a timeout. */
  public long remainingMillis() {
    return Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000L);
  }

  /**
   * Whether the scrape is over (its page assembled): nothing asks for its fetches any more, so what
   * was kept for it can go.
   */
  public boolean over() {
    return over;
  }

  /** Marks the scrape over (the engine, once it has assembled the result). */
  void end() {
    over = true;
  }

  @Override
  public String toString() {
    return "ScrapeContext[deadlineNanos=" + deadlineNanos + (over ? ", over" : "") + "]";
  }
}
