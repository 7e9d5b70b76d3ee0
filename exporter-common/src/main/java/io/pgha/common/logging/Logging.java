package io.pgha.common.logging;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.event.Level;

/**
 * The exporters' log: one line per event on standard error, as Prometheus exporters write it
 * ({@code --log.level debug|info|warn|error}, {@code --log.format logfmt|json}). Levels can be set
 * at any time, also after loggers were created (classes create theirs when they load, before the
 * command line is read). java.util.logging (gRPC's) is routed here too.
 */
public final class Logging {

  /** How a line is written. */
  public enum Format {
    LOGFMT, JSON;

    public static Format parse(String text) {
      for (Format f : values()) {
        if (f.name().equalsIgnoreCase(text)) {
          return f;
        }
      }
      throw new IllegalArgumentException("want logfmt or json, got " + text);
    }
  }

  /**
   * Until a launcher configures the level, a program may set it with the system property
   * slf4j-simple reads (the pgha command line does, for bench); the default is info.
   */
  static final String DEFAULT_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

  private static volatile Level level;
  private static volatile Format format = Format.LOGFMT;
  /** Loggers (by name prefix) that log less than the others, e.g. a chatty library. */
  private static final Map<String, Level> QUIETER = new ConcurrentHashMap<>();

  private Logging() {}

  /** {@code debug}, {@code info}, {@code warn} or {@code error}. */
  public static Level parseLevel(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "debug" -> Level.DEBUG;
      case "info" -> Level.INFO;
      case "warn" -> Level.WARN;
      case "error" -> Level.ERROR;
      default -> throw new IllegalArgumentException("want debug, info, warn or error, got " + text);
    };
  }

  public static void configure(Level newLevel, Format newFormat) {
    level = newLevel;
    format = newFormat;
    JulBridge.install(newLevel);
  }

  /** Forgets the configured level (tests). */
  static void unconfigure() {
    level = null;
  }

  /** Loggers whose name starts with {@code prefix} log only at {@code atLeast} or above. */
  public static void quieter(String prefix, Level atLeast) {
    QUIETER.put(prefix, atLeast);
  }

  public static Level level() {
    Level configured = level;
    if (configured != null) {
      return configured;
    }
    try {
      return parseLevel(System.getProperty(DEFAULT_LEVEL_PROPERTY, "info"));
    } catch (IllegalArgumentException e) {
      return Level.INFO;
    }
  }

  static boolean enabled(String logger, Level at) {
    Level threshold = level();
    for (Map.Entry<String, Level> q : QUIETER.entrySet()) {
      if (logger.startsWith(q.getKey()) && q.getValue().toInt() > threshold.toInt()) {
        threshold = q.getValue();
      }
    }
    return at.toInt() >= threshold.toInt();
  }

  static Format format() {
    return format;
  }
}
