package io.pgha.traffic;

import static io.pgha.traffic.Outcomes.readOk;
import static io.pgha.traffic.Outcomes.writeFailed;
import static io.pgha.traffic.Outcomes.writeOk;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TrafficTextTest {

  private static final long T0 = Instant.parse("2025-05-01T12:00:00Z").toEpochMilli();
  private static final TrafficOptions OPTIONS = new TrafficOptions(50, 0.5, Duration.ofSeconds(1),
      Duration.ofSeconds(2), Duration.ofSeconds(30), Path.of("/w/traffic"));

  @Test
  void secondLineOfHealthyTraffic() {
    TrafficWindow window = new TrafficWindow(T0, T0 + 1000, 25, 0, 24, 0, Map.of("pg-1", 25),
        Map.of("pg-3", 11, "pg-2", 13), 0, null);

    assertThat(TrafficText.secondLine(3, window))
        .isEqualTo("   3s  writes   25 ok    0 failed | reads   24 ok    0 failed | write pg-1 | read pg-2 13, pg-3 11");
  }

  @Test
  void secondLineTellsReadsThatAPrimaryServed() {
    TrafficWindow window = new TrafficWindow(T0, T0 + 1000, 25, 0, 25, 0, Map.of("pg-1", 25),
        Map.of("pg-1", 5, "pg-2", 20), 5, null);

    assertThat(TrafficText.secondLine(4, window)).isEqualTo(
        "   4s  writes   25 ok    0 failed | reads   25 ok    0 failed | write pg-1 | read pg-1 5, pg-2 20 (5 from the primary)");
  }

  @Test
  void secondLineDuringAnOutageShowsTheLastError() {
    TrafficWindow window = new TrafficWindow(T0, T0 + 1000, 0, 25, 25, 0, Map.of(), Map.of("pg-2", 25), 0,
        "08001 Connection to 127.0.0.1:5000 refused");

    assertThat(TrafficText.secondLine(12, window))
        .isEqualTo("  12s  writes    0 ok   25 failed | reads   25 ok    0 failed | write - | read pg-2"
            + " | error: 08001 Connection to 127.0.0.1:5000 refused");
  }

  @Test
  void summaryOfARunWithAFailoverAndALostWrite() {
    List<OperationOutcome> outcomes = new ArrayList<>();
    outcomes.add(writeOk(T0 + 40, "pg-1"));
    outcomes.add(readOk(T0 + 60, "pg-2"));
    outcomes.add(writeOk(T0 + 80, "pg-1"));
    outcomes.add(writeFailed(T0 + 120));
    outcomes.add(writeFailed(T0 + 5000));
    outcomes.add(writeOk(T0 + 9321, "pg-2"));
    outcomes.add(readOk(T0 + 9400, "pg-3"));
    LedgerEntry lost = new LedgerEntry(UUID.fromString("00000000-0000-0000-0000-000000000080"), T0 + 80, "pg-1");
    LedgerCheck check = LedgerCheck.complete(3, List.of(lost));

    TrafficSummary summary = TrafficSummary.of(outcomes, T0, T0 + 10_000, check,
        Path.of("/w/traffic/ledger-20250501T120000.000Z.tsv"));

    assertThat(TrafficText.summary(summary, OPTIONS)).isEqualTo("""
        summary: 10.0 s at 50/s, read ratio 0.5
          writes       3 ok      2 failed   by pg-1 2, pg-2 1
          reads        2 ok      0 failed   by pg-2 1, pg-3 1
          attempted: writes 0.5/s of 25/s asked, reads 0.2/s of 25/s asked
          longest write outage: 9241 ms (12:00:00.080Z to 12:00:09.321Z, 2 failed writes)
          longest gap between acknowledged writes: 9241 ms
          ledger check: 3 acknowledged, 2 found, 1 missing
            missing 00000000-0000-0000-0000-000000000080 acknowledged at 12:00:00.080Z by pg-1
          ledger file: /w/traffic/ledger-20250501T120000.000Z.tsv
        """);
    assertThat(summary.lostWrites()).isEqualTo(1);
    assertThat(summary.longestWriteOutageMillis()).isEqualTo(9241);
  }

  @Test
  void summaryOfAQuietRunAndOfAnIncompleteCheck() {
    List<OperationOutcome> outcomes = List.of(writeOk(T0 + 40, "pg-1"), writeOk(T0 + 80, "pg-1"),
        writeFailed(T0 + 120), writeFailed(T0 + 160));
    LedgerCheck check = LedgerCheck.incomplete(2, 0, List.of(),
        "no primary answered through 127.0.0.1:5000 within 30 s (last error: 08001 Connection refused)");

    TrafficSummary summary = TrafficSummary.of(outcomes, T0, T0 + 2000, check, Path.of("/w/l.tsv"));

    assertThat(TrafficText.summary(summary, OPTIONS)).isEqualTo("""
        summary: 2.0 s at 50/s, read ratio 0.5
          writes       2 ok      2 failed   by pg-1
          reads        0 ok      0 failed   by -
          attempted: writes 2.0/s of 25/s asked, reads 0.0/s of 25/s asked
          longest write outage: 1920 ms (12:00:00.080Z to 12:00:02.000Z, 2 failed writes, writes had not come back when the run stopped)
          longest gap between acknowledged writes: 40 ms
          ledger check INCOMPLETE: 2 acknowledged, 0 found, at least 0 missing: no primary answered through 127.0.0.1:5000 within 30 s (last error: 08001 Connection refused)
          ledger file: /w/l.tsv
        """);
  }

  @Test
  void summaryWithoutFailuresAndManyMissing() {
    List<OperationOutcome> outcomes = List.of(writeOk(T0 + 40, "pg-1"));
    List<LedgerEntry> missing = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      missing.add(new LedgerEntry(new UUID(0, i), T0 + i, "pg-1"));
    }

    TrafficSummary summary = TrafficSummary.of(outcomes, T0, T0 + 1000, LedgerCheck.complete(12, missing),
        Path.of("/w/l.tsv"));
    String text = TrafficText.summary(summary, OPTIONS);

    assertThat(text).contains("  longest write outage: 0 ms (no write failed)\n",
        "    missing 00000000-0000-0000-0000-000000000009 acknowledged at 12:00:00.009Z by pg-1\n    ... and 2 more\n");
    assertThat(text).doesNotContain("00000000-0000-0000-0000-00000000000a");
  }
}
