package io.pgha.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class LogLineTest {
  private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678901Z");

  @Test
  void logfmtQuotesOnlyWhatNeedsQuoting() {
    assertThat(LogLine.format(Logging.Format.LOGFMT, AT, Level.WARN, "io.pgha.common.ScrapeEngine",
        "collector x: starts with \"<html>\"", null))
        .isEqualTo("ts=2026-01-02T03:04:05.678Z level=warn logger=ScrapeEngine msg=\"collector x: starts with \\\"<html>\\\"\"\n");
    assertThat(LogLine.format(Logging.Format.LOGFMT, AT, Level.INFO, "x", "ready", null))
        .isEqualTo("ts=2026-01-02T03:04:05.678Z level=info logger=x msg=ready\n");
  }

  @Test
  void jsonIsOneObjectPerLineWithTheErrorAndItsStack() {
    String line = LogLine.format(Logging.Format.JSON, AT, Level.ERROR, "io.pgha.x.Y", "could not\nrender",
        new IllegalStateException("bug"));
    assertThat(line).startsWith("{\"ts\":\"2026-01-02T03:04:05.678Z\",\"level\":\"error\",\"logger\":\"Y\","
        + "\"msg\":\"could not\\nrender\",\"err\":\"java.lang.IllegalStateException: bug\",\"stack\":\"java.lang.IllegalStateException: bug\\n\\tat ")
        .endsWith("\"}\n");
    assertThat(line.lines()).hasSize(1);
  }

  @Test
  void levelsAndQuieterLoggers() {
    try {
      Logging.configure(Level.WARN, Logging.Format.LOGFMT);
      Logging.quieter("io.etcd.jetcd", Level.ERROR);
      assertThat(Logging.enabled("io.pgha.x", Level.INFO)).isFalse();
      assertThat(Logging.enabled("io.pgha.x", Level.WARN)).isTrue();
      assertThat(Logging.enabled("io.etcd.jetcd.ClientConnectionManager", Level.WARN)).isFalse();
      assertThat(Logging.enabled("io.etcd.jetcd.ClientConnectionManager", Level.ERROR)).isTrue();
    } finally {
      Logging.configure(Level.INFO, Logging.Format.LOGFMT);
    }
  }

  @Test
  void aProgramThatConfiguresNothingMaySetTheLevelAsForSlf4jSimple() {
    try {
      Logging.unconfigure();
      System.setProperty(Logging.DEFAULT_LEVEL_PROPERTY, "warn");
      assertThat(Logging.enabled("io.pgha.x", Level.INFO)).isFalse();
      assertThat(Logging.enabled("io.pgha.x", Level.WARN)).isTrue();
      System.clearProperty(Logging.DEFAULT_LEVEL_PROPERTY);
      assertThat(Logging.enabled("io.pgha.x", Level.INFO)).isTrue();
      assertThat(Logging.enabled("io.pgha.x", Level.DEBUG)).isFalse();
    } finally {
      System.clearProperty(Logging.DEFAULT_LEVEL_PROPERTY);
      Logging.configure(Level.INFO, Logging.Format.LOGFMT);
    }
  }
}
