package io.pgha.common.logging;

import java.time.Instant;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger writing {@link LogLine}s to standard error (looked up at each line, as tests replace it). */
final class PghaLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;

  PghaLogger(String name) {
    this.name = name;
  }

  @Override
  public boolean isTraceEnabled() {
    return Logging.enabled(name, Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return Logging.enabled(name, Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return Logging.enabled(name, Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return Logging.enabled(name, Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return Logging.enabled(name, Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments, Throwable error) {
    String message = MessageFormatter.basicArrayFormat(pattern, arguments);
    write(level, name, message, error);
  }

  static void write(Level level, String logger, String message, Throwable error) {
    System.err.print(LogLine.format(Logging.format(), Instant.now(), level, logger, message, error));
  }
}
