package io.pgha.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatementLoadTest {

  @Test
  void theClustersOwnRateIsSubtractedOverTheWindowsOfTheScrapes() {
    StatementLoad.Totals before = new StatementLoad.Totals(1000, 50.0, 1_000_000_000L);
    StatementLoad.Totals after = new StatementLoad.Totals(3200, 150.0, 3_000_000_000L);
    StatementLoad.Totals delta = after.minus(before);
    assertThat(delta).isEqualTo(new StatementLoad.Totals(2200, 100.0, 2_000_000_000L));
    // 2 s at 100 statements/s and 10 ms/s of background: 2000 and 80 ms are the scrapes'.
    PostgresCost c = StatementLoad.cost(delta, 100, 100, 10);
    assertThat(c.statementsPerScrape()).isCloseTo(20.0, within(1e-9));
    assertThat(c.execMsPerScrape()).isCloseTo(0.8, within(1e-9));
  }

  @Test
  void windowsAddUpAndNoiseNeverMakesANegativeCost() {
    StatementLoad.Totals sum = StatementLoad.Totals.ZERO
        .plus(new StatementLoad.Totals(10, 1.0, 500_000_000L))
        .plus(new StatementLoad.Totals(5, 0.5, 500_000_000L));
    assertThat(sum).isEqualTo(new StatementLoad.Totals(15, 1.5, 1_000_000_000L));
    PostgresCost c = StatementLoad.cost(sum, 10, 100, 10);
    assertThat(c.statementsPerScrape()).isZero();
    assertThat(c.execMsPerScrape()).isZero();
  }

  /** The bench's own exporters are measured by their role's statements alone, whatever the cluster did beside them. */
  @Test
  void theBenchsRoleIsCountedAloneWithNothingSubtracted() {
    StatementLoad.Totals before = new StatementLoad.Totals(1000, 50.0, 40, 2.0, 1_000_000_000L);
    StatementLoad.Totals after = new StatementLoad.Totals(9000, 950.0, 1340, 27.0, 3_000_000_000L);
    StatementLoad.Totals delta = after.minus(before);
    assertThat(delta).isEqualTo(new StatementLoad.Totals(8000, 900.0, 1300, 25.0, 2_000_000_000L));
    PostgresCost c = StatementLoad.benchRoleCost(delta, 100);
    assertThat(c.statementsPerScrape()).isCloseTo(13.0, within(1e-9));
    assertThat(c.execMsPerScrape()).isCloseTo(0.25, within(1e-9));
  }
}
