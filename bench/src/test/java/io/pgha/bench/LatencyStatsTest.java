package io.pgha.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {

  @Test
  void percentilesAreNearestRankSoEachIsAMeasuredValue() {
    double[] sorted = new double[100];
    for (int i = 0; i < 100; i++) {
      sorted[i] = i + 1;
    }
    assertThat(LatencyStats.percentile(sorted, 50)).isEqualTo(50);
    assertThat(LatencyStats.percentile(sorted, 95)).isEqualTo(95);
    assertThat(LatencyStats.percentile(sorted, 99)).isEqualTo(99);
    assertThat(LatencyStats.percentile(sorted, 100)).isEqualTo(100);
    assertThat(LatencyStats.percentile(new double[] {7, 9}, 50)).isEqualTo(7);
    assertThat(LatencyStats.percentile(new double[] {7, 9}, 95)).isEqualTo(9);
    assertThat(LatencyStats.percentile(new double[0], 50)).isNaN();
  }

  @Test
  void fromNanosecondsToMillisecondsAndRate() {
    long[] nanos = {3_000_000, 1_000_000, 2_000_000, 10_000_000};
    LatencyStats s = LatencyStats.of(nanos, 1, 500_000_000L);
    assertThat(s.n()).isEqualTo(4);
    assertThat(s.errors()).isEqualTo(1);
    assertThat(s.medianMs()).isEqualTo(2.0);
    assertThat(s.p99Ms()).isEqualTo(10.0);
    assertThat(s.maxMs()).isEqualTo(10.0);
    assertThat(s.perSecond()).isEqualTo(8.0);
  }

  @Test
  void noScrapesNoFigures() {
    LatencyStats s = LatencyStats.of(new long[0], 3, 1_000_000);
    assertThat(s.n()).isZero();
    assertThat(s.errors()).isEqualTo(3);
    assertThat(s.medianMs()).isNaN();
  }

  @Test
  void runsOfInterleavedRoundsAddUp() {
    Scraper.Run a = new Scraper.Run(new long[] {1_000_000, 2_000_000}, 0, 10_000_000, "a");
    Scraper.Run b = new Scraper.Run(new long[] {3_000_000}, 1, 5_000_000, "b");
    Scraper.Run both = Scraper.Run.concat(java.util.List.of(a, b));
    assertThat(both.nanos()).containsExactly(1_000_000, 2_000_000, 3_000_000);
    assertThat(both.errors()).isEqualTo(1);
    assertThat(both.wallNanos()).isEqualTo(15_000_000);
    assertThat(both.lastBody()).isEqualTo("b");
  }
}
