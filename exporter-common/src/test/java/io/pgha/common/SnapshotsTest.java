package io.pgha.common;

import static io.pgha.common.Golden.golden;
import static io.pgha.common.MetricFamily.counter;
import static io.pgha.common.MetricFamily.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotsTest {
  private static final GaugeFamily UP = gauge("pgha_x_up", "Up.", "scope");
  private static final GaugeFamily OTHER = gauge("pgha_x_other", "Other.");

  @Test
  void mergesSnapshotsOfTheSameNameAndKeepsOrder() {
    String text = TextExposition.render(List.of(
        UP.snapshot(1, "a"),
        OTHER.snapshot(3),
        UP.snapshot(0, "b")));
    assertThat(text).isEqualTo(golden("SnapshotsTest/mergesSnapshotsOfTheSameNameAndKeepsOrder"));
  }

  @Test
  void oneHotHasOneSeriesPerStateAndMarksTheCurrentOne() {
    GaugeFamily role = gauge("pgha_x_role", "Role.", "member", "role");
    String text = TextExposition.render(List.of(role.snapshot(
        role.oneHot(List.of("leader", "replica", "other"), "replica", "m1"))));
    assertThat(text).isEqualTo(golden("SnapshotsTest/oneHotHasOneSeriesPerStateAndMarksTheCurrentOne"));
  }

  @Test
  void aHistogramIsRenderedWithCumulativeBucketsAndMergesAcrossSnapshots() {
    HistogramFamily wait = MetricFamily.histogram("pgha_x_wait_seconds", "Wait.", new double[] {0.5, 2}, "scope");
    HistogramFamily.Counts a = wait.empty().observe(0.25).observe(1).observe(3);
    String text = TextExposition.render(List.of(
        wait.snapshot(List.of(wait.point(a, "a"))),
        wait.snapshot(List.of(wait.point(wait.empty(), "b")))));
    assertThat(a.count()).isEqualTo(3);
    assertThat(text).isEqualTo(golden("SnapshotsTest/aHistogramIsRenderedWithCumulativeBucketsAndMergesAcrossSnapshots"));
    assertThatThrownBy(() -> MetricFamily.histogram("pgha_x_bad", "Bad.", new double[] {2, 1}))
        .hasMessageContaining("must increase");
  }

  @Test
  void refusesToMergeDifferentTypes() {
    assertThatThrownBy(() -> Snapshots.merge(List.of(
        gauge("pgha_x", "X.").snapshot(1),
        counter("pgha_x_total", "X.").snapshot(1))))
        .hasMessageContaining("pgha_x: cannot merge");
  }
}
