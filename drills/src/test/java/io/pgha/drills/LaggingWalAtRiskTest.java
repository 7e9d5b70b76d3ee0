package io.pgha.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pgha.traffic.WriteOutage;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * lagging-failover with the limit raised: exporter-etcd's WAL at risk against the WAL the promoted replica
 * never received, and the write outage with the drill's own hold of the writes before the kill left out.
 */
class LaggingWalAtRiskTest {

  private static final String NAME = "exporter-etcd WAL at risk against the WAL pg-2 never received";

  /** pg-1's pg_current_wal_lsn() 3 299 000 before the kill, the new timeline from 1 000 000: 2 299 000 never received. */
  private static Check judge(OptionalLong eventRisk, OptionalLong lsnAtKill, Optional<Long> switchLsn) {
    Judgement j = new Judgement();
    LaggingFailoverDrill.walAtRisk(j, "pg-1", "pg-2", eventRisk, lsnAtKill, OptionalLong.of(3_299_000), switchLsn);
    assertThat(j.checks).hasSize(1);
    return j.checks.get(0);
  }

  private static Check judge(long eventRisk) {
    return judge(OptionalLong.of(eventRisk), OptionalLong.of(3_299_000), Optional.of(1_000_000L));
  }

  @Test
  void theSameFigureAsTheLsnReadBeforeTheKillPasses() {
    Check c = judge(2_299_000);

    assertThat(c).extracting(Check::name, Check::measured, Check::status)
        .containsExactly(NAME, "2299000 B (2.2 MiB), +0 B from it", Check.Status.PASS);
    assertThat(c.expected()).isEqualTo("above 0 B and within 8448 B (one WAL record: an 8 KiB page image with its "
        + "headers) of pg-1's pg_current_wal_lsn() before the kill beyond the switch LSN of /history: 2299000 B "
        + "(0/3256B8 - 0/F4240)");
  }

  /** A record written after Patroni's last report (a commit, a page image) puts the LSN ahead of it. */
  @Test
  void oneRecordApartPassesAndMoreMisses() {
    assertThat(judge(2_299_000 - LaggingFailoverDrill.ONE_RECORD_BYTES).status()).isEqualTo(Check.Status.PASS);
    assertThat(judge(2_299_000 + LaggingFailoverDrill.ONE_RECORD_BYTES).status()).isEqualTo(Check.Status.PASS);
    // A report a loop old under traffic: 20 kB of writes behind.
    Check stale = judge(2_279_000);
    assertThat(stale).extracting(Check::measured, Check::status)
        .containsExactly("2279000 B (2.2 MiB), -20000 B from it", Check.Status.FAIL);
    assertThat(judge(2_299_000 - LaggingFailoverDrill.ONE_RECORD_BYTES - 1).status()).isEqualTo(Check.Status.FAIL);
  }

  @Test
  void noWalAtRiskMissesEvenWhenTheLsnAgrees() {
    Check c = judge(OptionalLong.of(0), OptionalLong.of(1_000_040), Optional.of(1_000_000L));

    assertThat(c).extracting(Check::measured, Check::status).containsExactly("0 B (0 B), -40 B from it", Check.Status.FAIL);
  }

  @Test
  void whatWasNotToldOrReadMisses() {
    assertThat(judge(OptionalLong.empty(), OptionalLong.of(3_299_000), Optional.of(1_000_000L)))
        .extracting(Check::measured, Check::status).containsExactly("exporter-etcd did not tell it", Check.Status.FAIL);
    assertThat(judge(OptionalLong.of(2_299_000), OptionalLong.empty(), Optional.of(1_000_000L)))
        .extracting(Check::measured, Check::status)
        .containsExactly("pg_current_wal_lsn() not read before the kill", Check.Status.FAIL);
    assertThat(judge(OptionalLong.of(2_299_000), OptionalLong.of(3_299_000), Optional.empty()))
        .extracting(Check::measured, Check::status).containsExactly("no /history entry for pg-2", Check.Status.FAIL);
  }

  @Test
  void theSettledOptimeIsAFigure() {
    Judgement settled = new Judgement();
    LaggingFailoverDrill.walAtRisk(settled, "pg-1", "pg-2", OptionalLong.of(1), OptionalLong.of(2),
        OptionalLong.of(3_299_000), Optional.of(1L));
    Judgement never = new Judgement();
    LaggingFailoverDrill.walAtRisk(never, "pg-1", "pg-2", OptionalLong.of(1), OptionalLong.of(2),
        OptionalLong.empty(), Optional.of(1L));

    assertThat(settled.figures).extracting(Figure::name, Figure::value).containsExactly(tuple(
        "old leader's optime in the DCS with the writes held", "its pg_current_wal_lsn() 0/3256B8"));
    assertThat(never.figures).extracting(Figure::value).containsExactly("never caught up with pg_current_wal_lsn()");
  }

  /**
   * Writes until 3 s, held from 3 s until the kill at 5 s (released at 5.01 s), failing from 5.04 s until
   * pg-2 takes them at 15.3 s: the outage counts from the release, not from the last write before the hold.
   */
  private static RecordingBuilder heldThenKilled() {
    return RecordingBuilder.of(DrillKind.LAGGING_FAILOVER).times(500, 5_000, 40_000, 50_000, 52_000)
        .writes(0, 3_000, "pg-1").writes(5_040, 15_300, null).writes(15_300, 52_000, "pg-2");
  }

  @Test
  void theDrillsOwnHoldOfTheWritesIsNoOutage() {
    DrillRecording held = heldThenKilled().value(DrillContext.WRITES_HELD_AT, RecordingBuilder.T0 + 3_000)
        .value(DrillContext.WRITES_RELEASED_AT, RecordingBuilder.T0 + 5_010).build();
    DrillRecording unmarked = heldThenKilled().build();

    assertThat(new DrillAnalysis(held).longestOutage()).get().extracting(WriteOutage::millis, WriteOutage::recovered)
        .containsExactly(10_290L, true);
    assertThat(new DrillAnalysis(unmarked).longestOutage()).get().extracting(WriteOutage::millis)
        .isEqualTo(12_340L);
  }

  /** Writes failing from 1 s until the hold at 3 s: an outage the hold does not end. */
  @Test
  void writesFailingUpToTheHoldAreAnOutageNotRecovered() {
    DrillRecording r = RecordingBuilder.of(DrillKind.LAGGING_FAILOVER).times(500, 5_000, 40_000, 50_000, 52_000)
        .writes(0, 1_000, "pg-1").writes(1_000, 3_000, null).writes(5_040, 6_000, null).writes(6_000, 52_000, "pg-2")
        .value(DrillContext.WRITES_HELD_AT, RecordingBuilder.T0 + 3_000)
        .value(DrillContext.WRITES_RELEASED_AT, RecordingBuilder.T0 + 5_010).build();

    assertThat(new DrillAnalysis(r).longestOutage()).get().extracting(WriteOutage::millis, WriteOutage::recovered)
        .containsExactly(2_040L, false);
  }
}
