package io.pgha.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrafficLedgerTest {

  private static final long T0 = Instant.parse("2025-05-01T12:00:00.250Z").toEpochMilli();

  @TempDir Path dir;

  @Test
  void entriesGoToTheFileAtOnceAndReadBack() throws IOException {
    LedgerEntry first = new LedgerEntry(UUID.fromString("6f1c1b1e-7d1f-4e55-9a3e-0d3c3c1e0a01"), T0 + 5, "pg-1", 1);
    LedgerEntry second = new LedgerEntry(UUID.fromString("6f1c1b1e-7d1f-4e55-9a3e-0d3c3c1e0a02"), T0 + 45, "pg-2", 2);

    try (TrafficLedger ledger = TrafficLedger.create(dir.resolve("traffic"), T0, "Write endpoint 127.0.0.1:5000.")) {
      ledger.append(first);
      ledger.append(second);

      assertThat(ledger.file()).isEqualTo(dir.resolve("traffic/ledger-20250501T120000.250Z.tsv"));
      assertThat(Files.readString(ledger.file())).isEqualTo("""
          # pgha traffic ledger: writes acknowledged to the client. Write endpoint 127.0.0.1:5000.
          acked_at\ttoken\tmember\ttimeline
          2025-05-01T12:00:00.255Z\t6f1c1b1e-7d1f-4e55-9a3e-0d3c3c1e0a01\tpg-1\t1
          2025-05-01T12:00:00.295Z\t6f1c1b1e-7d1f-4e55-9a3e-0d3c3c1e0a02\tpg-2\t2
          """);
      assertThat(TrafficLedger.read(ledger.file())).containsExactly(first, second);
      assertThat(ledger.entries()).containsExactly(first, second);
    }
  }

  @Test
  void appendsAfterCloseAreIgnored() throws IOException {
    TrafficLedger ledger = TrafficLedger.create(dir, T0, "x");
    ledger.close();

    ledger.append(new LedgerEntry(UUID.randomUUID(), T0, "pg-1"));

    assertThat(ledger.size()).isZero();
    assertThat(TrafficLedger.read(ledger.file())).isEmpty();
  }

  @Test
  void neverOverwritesAnEarlierRun() throws IOException {
    TrafficLedger.create(dir, T0, "x").close();

    assertThatThrownBy(() -> TrafficLedger.create(dir, T0, "x")).isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void aMalformedLineIsNamedByFileAndNumber() throws IOException {
    Path file = dir.resolve("ledger.tsv");
    Files.write(file, List.of("# comment", TrafficLedger.HEADER,
        "2025-05-01T12:00:00.255Z\t6f1c1b1e-7d1f-4e55-9a3e-0d3c3c1e0a01\tpg-1", "2025-05-01T12:00:00.255Z\tnot-a-uuid\tpg-1"));

    assertThatThrownBy(() -> TrafficLedger.read(file)).isInstanceOf(IOException.class)
        .hasMessageStartingWith(file + ":4: ");

    Files.write(file, List.of("2025-05-01T12:00:00.255Z\tpg-1"));
    assertThatThrownBy(() -> TrafficLedger.read(file))
        .hasMessage(file + ":1: expected 4 tab-separated fields, got 2");
  }

  @Test
  void aLedgerFromBeforeTimelinesReadsBackWithTimelineUnknown() throws IOException {
    Path file = dir.resolve("old-ledger.tsv");
    Files.write(file, List.of("# pgha traffic ledger", "acked_at\ttoken\tmember",
        "2025-05-01T12:00:00.255Z\t6f1c1b1e-7d1f-4e55-9a3e-0d3c3c1e0a01\tpg-1"));

    assertThat(TrafficLedger.read(file)).containsExactly(
        new LedgerEntry(UUID.fromString("6f1c1b1e-7d1f-4e55-9a3e-0d3c3c1e0a01"), T0 + 5, "pg-1", 0));
  }
}
