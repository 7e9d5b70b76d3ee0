package io.pgha.common.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.slf4j.event.Level;

/** Formats one event as a logfmt or JSON line. Pure, so tested on its own. */
final class LogLine {
  private LogLine() {}

  static String format(Logging.Format format, Instant at, Level level, String logger, String message, Throwable error) {
    StringBuilder line = new StringBuilder(128);
    String ts = at.truncatedTo(ChronoUnit.MILLIS).toString();
    String lvl = level.name().toLowerCase(Locale.ROOT);
    String caller = logger.substring(logger.lastIndexOf('.') + 1);
    if (format == Logging.Format.JSON) {
      line.append('{');
      json(line, "ts", ts).append(',');
      json(line, "level", lvl).append(',');
      json(line, "logger", caller).append(',');
      json(line, "msg", message);
      if (error != null) {
        json(line.append(','), "err", error.toString()).append(',');
        json(line, "stack", stack(error));
      }
      line.append('}');
    } else {
      line.append("ts=").append(ts).append(" level=").append(lvl).append(" logger=");
      logfmt(line, caller).append(" msg=");
      logfmt(line, message);
      if (error != null) {
        logfmt(line.append(" err="), error.toString()).append(" stack=");
        logfmt(line, stack(error));
      }
    }
    return line.append('\n').toString();
  }

  private static StringBuilder logfmt(StringBuilder out, String value) {
    boolean quote = value.isEmpty();
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c <= ' ' || c == '=' || c == '"' || c == '\\';
    }
    if (!quote) {
      return out.append(value);
    }
    out.append('"');
    escape(out, value);
    return out.append('"');
  }

  private static StringBuilder json(StringBuilder out, String key, String value) {
    out.append('"').append(key).append("\":\"");
    escape(out, value);
    return out.append('"');
  }

  /** The escaping logfmt and JSON share: quotes, backslashes and control characters. */
  private static void escape(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < ' ') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
  }

  private static String stack(Throwable error) {
    StringWriter text = new StringWriter();
    error.printStackTrace(new PrintWriter(text));
    return text.toString().strip();
  }
}
