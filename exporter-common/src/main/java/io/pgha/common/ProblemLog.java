package io.pgha.common;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Logs a problem when it starts and when its reason changes, and once when it clears: a target that
 * stays down for an hour is two lines, not one per scrape. With a quiet period, a changed reason is
 * logged only that long after the last line (a refused connection and a reset alternate during an
 * outage). Safe to use from any thread.
 */
public final class ProblemLog {
  private record Logged(String reason, long atNanos) {}

  private final Logger log;
  private final long quietNanos;
  private final Map<String, Logged> last = new ConcurrentHashMap<>();

  /** Logs every change of reason. */
  public ProblemLog(Logger log) {
    this(log, Duration.ZERO);
  }

  public ProblemLog(Logger log, Duration quiet) {
    this.log = log;
    this.quietNanos = quiet.toNanos();
  }

  /** Logs {@code what: reason} as a warning if the problem is new or its reason changed; true if it did. */
  public boolean failed(String what, String reason) {
    long now = System.nanoTime();
    boolean[] news = {false};
    last.compute(what, (key, before) -> {
      if (before == null || (!before.reason().equals(reason) && now - before.atNanos() >= quietNanos)) {
        news[0] = true;
        return new Logged(reason, now);
      }
      return before;
    });
    if (news[0]) {
      log.warn("{}: {}", what, reason);
    }
    return news[0];
  }

  /** Forgets the problem without logging; true if there was one (the caller says what recovered). */
  public boolean cleared(String what) {
    return last.remove(what) != null;
  }

  /** Forgets the problem and, if there was one, logs {@code what: message}. */
  public void recovered(String what, String message) {
    if (cleared(what)) {
      log.info("{}: {}", what, message);
    }
  }
}
