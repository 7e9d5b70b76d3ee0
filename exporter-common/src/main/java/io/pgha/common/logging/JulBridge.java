package io.pgha.common.logging;

import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.slf4j.event.Level;

/** Routes java.util.logging (gRPC logs through it) into the same lines, at the same level. */
final class JulBridge extends Handler {
  private JulBridge() {}

  static synchronized void install(Level level) {
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    root.addHandler(new JulBridge());
    root.setLevel(switch (level) {
      case ERROR -> java.util.logging.Level.SEVERE;
      case WARN -> java.util.logging.Level.WARNING;
      case INFO -> java.util.logging.Level.INFO;
      default -> java.util.logging.Level.FINE;
    });
  }

  @Override
  public void publish(LogRecord record) {
    int v = record.getLevel().intValue();
    Level level = v >= 1000 ? Level.ERROR : v >= 900 ? Level.WARN : v >= 800 ? Level.INFO : Level.DEBUG;
    String logger = record.getLoggerName() == null ? "jul" : record.getLoggerName();
    if (Logging.enabled(logger, level)) {
      String message = record.getMessage();
      Object[] params = record.getParameters();
      if (message != null && params != null && params.length > 0) {
        try {
          message = java.text.MessageFormat.format(message, params);
        } catch (IllegalArgumentException e) {
          // Not a MessageFormat pattern: keep it as it is.
        }
      }
      PghaLogger.write(level, logger, message == null ? "" : message, record.getThrown());
    }
  }

  @Override
  public void flush() {
    System.err.flush();
  }

  @Override
  public void close() {
    // Standard error is not ours to close.
  }
}
