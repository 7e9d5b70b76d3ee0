package io.pgha.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmallPartsTest {

  @Test
  void theTimelineOfAWriteIsTheFirstPartOfItsWalFileName() throws SQLException {
    assertThat(EventWriter.timeline("000000020000000000000005")).isEqualTo(2);
    assertThat(EventWriter.timeline("0000001A0000000300000041")).isEqualTo(26);
    assertThatThrownBy(() -> EventWriter.timeline("0000001A")).isInstanceOf(SQLException.class)
        .hasMessage("not a WAL file name: 0000001A");
  }

  @Test
  void pacingKeepsTheRhythmAndSkipsMissedSlots() {
    assertThat(PacedWorker.nextSlot(1_000, 40, 1_010)).isEqualTo(1_040);
    // An operation that hung for 2 s is followed by one attempt at once, not by a burst.
    assertThat(PacedWorker.nextSlot(1_000, 40, 3_000)).isEqualTo(3_000);
  }

  @Test
  void errorTextIsTheStateAndFirstSentenceOnOneLine() {
    assertThat(ErrorText.brief(new SQLException("Connection to 127.0.0.1:5000 refused. Check that the hostname "
        + "and port are correct and that the postmaster is accepting TCP/IP connections.", "08001")))
        .isEqualTo("08001 Connection to 127.0.0.1:5000 refused");
    assertThat(ErrorText.brief(new SQLException("ERROR: cannot execute INSERT in a read-only transaction",
        "25006"))).isEqualTo("25006 ERROR: cannot execute INSERT in a read-only transaction");
    assertThat(ErrorText.brief(new SQLException("FATAL: terminating connection\n  Detail: more", "57P01")))
        .isEqualTo("57P01 FATAL: terminating connection");
    assertThat(ErrorText.brief(new IOException())).isEqualTo("IOException");
    assertThat(ErrorText.brief(new RuntimeException("x".repeat(300)))).hasSize(ErrorText.MAX_LENGTH).endsWith("...");
  }

  @Test
  void preflightGivesUpOnlyOnWhatNoRetryFixes() {
    assertThat(TrafficPreflight.isFatal("28P01")).isTrue();
    assertThat(TrafficPreflight.isFatal("3D000")).isTrue();
    assertThat(TrafficPreflight.isFatal("42P01")).isTrue();
    assertThat(TrafficPreflight.isFatal("08001")).isFalse();
    assertThat(TrafficPreflight.isFatal("57P03")).isFalse();
    assertThat(TrafficPreflight.isFatal(null)).isFalse();
  }

  @Test
  void optionsSplitTheRateAndRefuseNonsense() {
    TrafficOptions options = TrafficOptions.defaults(Path.of("/w")).withRate(40, 0.25);
    assertThat(options.writesPerSecond()).isEqualTo(30);
    assertThat(options.readsPerSecond()).isEqualTo(10);

    assertThatThrownBy(() -> options.withRate(0, 0.5)).hasMessageContaining("rate");
    assertThatThrownBy(() -> options.withRate(10, 1.5)).hasMessageContaining("read ratio");
    assertThatThrownBy(() -> new TrafficOptions(10, 0.5, Duration.ofMillis(500), Duration.ofSeconds(2),
        Duration.ofSeconds(30), Path.of("/w"))).hasMessageContaining("connect timeout must be whole seconds");
  }
}
