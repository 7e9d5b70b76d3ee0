package io.pgha.common;

import static io.pgha.common.Golden.golden;
import static io.pgha.common.MetricFamily.counter;
import static io.pgha.common.MetricFamily.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScrapeResultTest {
  private static final GaugeFamily UP = gauge("pgha_x_up", "Up.", "scope");
  private static final GaugeFamily OTHER = gauge("pgha_x_other", "Other.");

  @Test
  void mergesSnapshotsOfTheSameNameAndKeepsOrder() {
    String text = TextExposition.render(List.of(
        UP.snapshot(1, "a"),
        OTHER.snapshot(3),
        UP.snapshot(0, "b")));
    assertThat(text).isEqualTo(golden("ScrapeResultTest/mergesSnapshotsOfTheSameNameAndKeepsOrder"));
  }

  @Test
  void oneHotHasOneSeriesPerStateAndMarksTheCurrentOne() {
    GaugeFamily role = gauge("pgha_x_role", "Role.", "member", "role");
    String text = TextExposition.render(List.of(role.snapshot(
        role.oneHot(List.of("leader", "replica", "other"), "replica", "m1"))));
    assertThat(text).isEqualTo(golden("ScrapeResultTest/oneHotHasOneSeriesPerStateAndMarksTheCurrentOne"));
  }

  @Test
  void aHistogramIsRenderedWithCumulativeBucketsAndMergesAcrossSnapshots() {
    HistogramFamily wait = MetricFamily.histogram("pgha_x_wait_seconds", "Wait.", new double[] {0.5, 2}, "scope");
    HistogramFamily.Counts a = wait.empty().observe(0.25).observe(1).observe(3);
    String text = TextExposition.render(List.of(
        wait.snapshot(List.of(wait.point(a, "a"))),
        wait.snapshot(List.of(wait.point(wait.empty(), "b")))));
    assertThat(a.count()).isEqualTo(3);
    assertThat(text).isEqualTo(golden("ScrapeResultTest/aHistogramIsRenderedWithCumulativeBucketsAndMergesAcrossSnapshots"));
    assertThatThrownBy(() -> MetricFamily.histogram("pgha_x_bad", "Bad.", new double[] {2, 1}))
        .hasMessageContaining("must increase");
  }

  @Test
  void refusesToMergeDifferentTypes() {
    assertThatThrownBy(() -> ScrapeResult.of(List.of(
        gauge("pgha_x", "X.").snapshot(1),
        counter("pgha_x_total", "X.").snapshot(1))))
        .hasMessageContaining("pgha_x: cannot merge");
  }

  @Test
  void aSeriesTwoPartsBothCarryIsKeptOnceAndNamed() {
    ScrapeResult result = ScrapeResult.of(List.of(UP.snapshot(1, "a"), UP.snapshot(0, "b"), UP.snapshot(0, "a")));
    assertThat(result.duplicates()).containsExactly("pgha_x_up{scope=\"a\"}");
    assertThat(TextExposition.render(result)).contains("pgha_x_up{scope=\"a\"} 1.0\n", "pgha_x_up{scope=\"b\"} 0.0\n")
        .doesNotContain("pgha_x_up{scope=\"a\"} 0.0");
    assertThat(ScrapeResult.of(List.of(UP.snapshot(1, "a"), UP.snapshot(0, "b"))).duplicates()).isEmpty();
  }

  @Test
  void partsAreApartWhenOneLabelHasOneValueInEachAndADifferentOneInEach() {
    GaugeFamily member = gauge("pgha_x_member_up", "Up.", "scope", "member");
    var a = member.snapshot(List.of(member.point(1, "a", "m1"), member.point(1, "a", "m2")));
    var b = member.snapshot(List.of(member.point(1, "b", "m1"), member.point(1, "b", "m2")));
    var aAgain = member.snapshot(List.of(member.point(0, "a", "m3")));
    var mixed = member.snapshot(List.of(member.point(1, "c", "m1"), member.point(1, "d", "m2")));
    assertThat(ScrapeResult.apart(List.of(a, b))).isTrue();
    assertThat(ScrapeResult.apart(List.of(a, b, member.snapshot(List.of())))).isTrue();
    assertThat(ScrapeResult.apart(List.of(a, aAgain))).as("same scope, members differ but not throughout").isFalse();
    assertThat(ScrapeResult.apart(List.of(a, mixed))).isFalse();
    assertThat(ScrapeResult.of(List.of(a, aAgain, mixed)).duplicates()).as("checked point by point then").isEmpty();
    assertThat(ScrapeResult.of(List.of(a, b, member.snapshot(List.of(member.point(0, "b", "m2"))))).duplicates())
        .containsExactly("pgha_x_member_up{member=\"m2\",scope=\"b\"}");
  }
}
