package io.pgha.etcd;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/** Logs a failure when its reason changes and once when it clears, so an outage is not a log flood. */
final class ReasonLog {
  private final Logger log;
  private final Map<String, String> last = new ConcurrentHashMap<>();

  ReasonLog(Logger log) {
    this.log = log;
  }

  void failed(String what, String reason) {
    if (!reason.equals(last.put(what, reason))) {
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
