package io.pgha.common;

import io.vertx.core.Vertx;

/** What a collector knows about the scrape it serves: the Vert.x instance and the deadline. */
public record ScrapeContext(Vertx vertx, long deadlineNanos) {

  public static ScrapeContext withTimeout(Vertx vertx, long timeoutMillis) {
    return new ScrapeContext(vertx, System.nanoTime() + timeoutMillis * 1_000_000L);
  }

  /** Milliseconds left before the deadline, at least 1 so it can be passed as a timeout. */
  public long remainingMillis() {
    return Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000L);
  }
}
