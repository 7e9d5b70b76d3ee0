package io.pgha.etcd;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Logs a failure when it starts, and again only when its reason changes and a minute has passed
 * (a refused connection and a reset alternate during an outage), and once when it clears: an
 * outage is a few lines, not a flood.
 */
final class ReasonLog {
  private static final long QUIET_NANOS = 60_000_000_000L;

  private record Logged(String reason, long atNanos) {}

  private final Logger log;
  private final Map<String, Logged> last = new ConcurrentHashMap<>();

  ReasonLog(Logger log) {
    this.log = log;
  }

  void failed(String what, String reason) {
    long now = System.nanoTime();
    Logged before = last.get(what);
    if (before == null || (!before.reason().equals(reason) && now - before.atNanos() >= QUIET_NANOS)) {
      last.put(what, new Logged(reason, now));
      log.warn("{}: {}", what, reason);
    }
  }

  /** Forgets a failure without logging; true if there was one (the caller says what recovered). */
  boolean clear(String what) {
    return last.remove(what) != null;
  }

  void ok(String what) {
    if (last.remove(what) != null) {
      log.info("{}: answers again", what);
    }
  }
}
