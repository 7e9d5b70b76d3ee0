package io.pgha.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On files shaped as /proc/sys/net/netfilter's. */
class ConntrackTest {
  @TempDir Path dir;

  private Conntrack conntrack() {
    return new Conntrack(dir, Duration.ofMillis(10));
  }

  private void table(long entries, long max) throws Exception {
    Files.writeString(dir.resolve("nf_conntrack_max"), max + "\n");
    Files.writeString(dir.resolve("nf_conntrack_count"), entries + "\n");
  }

  @Test
  void withoutConntrackThereIsNothingToWaitFor() throws Exception {
    assertThat(conntrack().table()).isEmpty();
    assertThat(conntrack().awaitRoom(1_000_000, Duration.ofSeconds(5))).isEmpty();
  }

  @Test
  void roomIsWhatFitsBelowNineTenthsOfTheTable() throws Exception {
    table(100_000, 262_144);
    Conntrack.Table t = conntrack().table().orElseThrow();
    assertThat(t.room()).isEqualTo(235_929 - 100_000);
    table(250_000, 262_144);
    assertThat(conntrack().table().orElseThrow().room()).isZero();
  }

  @Test
  void aSeriesThatFitsDoesNotWait() throws Exception {
    table(1_000, 262_144);
    Conntrack.Wait w = conntrack().awaitRoom(110_000, Duration.ofSeconds(5)).orElseThrow();
    assertThat(w.fits()).isTrue();
    assertThat(w.waited()).isLessThan(Duration.ofMillis(500));
  }

  @Test
  void waitsUntilEntriesExpireEnough() throws Exception {
    table(230_000, 262_144);
    ScheduledExecutorService expiry = Executors.newSingleThreadScheduledExecutor();
    try {
      expiry.schedule(() -> {
        table(120_000, 262_144);
        return null;
      }, 300, TimeUnit.MILLISECONDS);
      Conntrack.Wait w = conntrack().awaitRoom(110_000, Duration.ofSeconds(10)).orElseThrow();
      assertThat(w.fits()).isTrue();
      assertThat(w.table().entries()).isEqualTo(120_000);
      assertThat(w.waited()).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    } finally {
      expiry.shutdownNow();
    }
  }

  @Test
  void givesUpAtTheLimitSayingItDoesNotFit() throws Exception {
    table(230_000, 262_144);
    Conntrack.Wait w = conntrack().awaitRoom(110_000, Duration.ofMillis(200)).orElseThrow();
    assertThat(w.fits()).isFalse();
    assertThat(w.waited()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(w.table().entries()).isEqualTo(230_000);
  }

  @Test
  void aGarbledFileNamesItself() throws Exception {
    Files.writeString(dir.resolve("nf_conntrack_max"), "262144\n");
    Files.writeString(dir.resolve("nf_conntrack_count"), "many\n");
    assertThatThrownBy(() -> conntrack().table()).hasMessage(dir.resolve("nf_conntrack_count") + ": not a number: many");
  }

  /** The integers of /proc/sys answer end of file after a first short read: read whole, not "2" for 262144. */
  @Test
  void theSystemsTableIsReadWhole() throws Exception {
    Path max = Conntrack.PROC.resolve("nf_conntrack_max");
    if (Files.exists(max)) {
      long expected = Long.parseLong(Files.readAllLines(max).get(0).strip());
      assertThat(Conntrack.system().table().orElseThrow().max()).isEqualTo(expected).isGreaterThan(9);
    } else {
      assertThat(Conntrack.system().table()).isEmpty();
    }
  }
}
