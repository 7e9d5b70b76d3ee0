package io.pgha.lab.deploy;

import java.time.Duration;

/**
 * The knobs of {@code pgha up}: Patroni's dynamic configuration at bootstrap and Prometheus's
 * scrape interval. The defaults are the fast-failover profile.
 */
public record ClusterSettings(int ttl, int loopWait, int retryTimeout, boolean failsafeMode,
    boolean synchronousMode, Duration scrapeInterval) {

  public static final ClusterSettings DEFAULTS =
      new ClusterSettings(10, 2, 4, false, false, Duration.ofSeconds(5));

  public ClusterSettings {
    // Patroni's own rule: the leader key must outlive one loop plus a full retry.
    if (loopWait + 2 * retryTimeout > ttl) {
      throw new IllegalArgumentException("Patroni needs loop_wait + 2 * retry_timeout <= ttl, got ttl "
          + ttl + ", loop_wait " + loopWait + ", retry_timeout " + retryTimeout);
    }
    if (scrapeInterval.toMillis() < 1000) {
      throw new IllegalArgumentException("--scrape-interval must be at least 1s, got "
          + scrapeInterval.toMillis() + "ms");
    }
  }

  /** Prometheus's scrape timeout must stay below the interval. */
  public String scrapeTimeout() {
    long ms = Math.max(500, Math.min(scrapeInterval.toMillis() - 500, 4000));
    return ms + "ms";
  }

  public String scrapeIntervalText() {
    return scrapeInterval.toMillis() + "ms";
  }
}
