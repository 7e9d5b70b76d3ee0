package io.pgha.patroni;

import io.pgha.common.ScrapeContext;

/** Per-request timeouts derived from the scrape deadline. */
final class Timeouts {
  /**
   * Requests end this long before the scrape deadline, so a slow member shows as
   * {@code member_up 0} from its own collector instead of the whole collector being cut.
   */
  static final long MARGIN_MILLIS = 50;

  private Timeouts() {}

  static long request(ScrapeContext context, long requestTimeoutMillis) {
    return Math.max(1, Math.min(requestTimeoutMillis, context.remainingMillis() - MARGIN_MILLIS));
  }
}
