package io.pgha.common;

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
    assertThat(text).isEqualTo("""
        # HELP pgha_x_other Other.
        # TYPE pgha_x_other gauge
        pgha_x_other 3.0
        # HELP pgha_x_up Up.
        # TYPE pgha_x_up gauge
        pgha_x_up{scope="a"} 1.0
        pgha_x_up{scope="b"} 0.0
        """);
  }

  @Test
  void oneHotHasOneSeriesPerStateAndMarksTheCurrentOne() {
    GaugeFamily role = gauge("pgha_x_role", "Role.", "member", "role");
    String text = TextExposition.render(List.of(role.snapshot(
        role.oneHot(List.of("leader", "replica", "other"), "replica", "m1"))));
    assertThat(text).isEqualTo("""
        # HELP pgha_x_role Role.
        # TYPE pgha_x_role gauge
        pgha_x_role{member="m1",role="leader"} 0.0
        pgha_x_role{member="m1",role="other"} 0.0
        pgha_x_role{member="m1",role="replica"} 1.0
        """);
  }

  @Test
  void refusesToMergeDifferentTypes() {
    assertThatThrownBy(() -> Snapshots.merge(List.of(
        gauge("pgha_x", "X.").snapshot(1),
        counter("pgha_x_total", "X.").snapshot(1))))
        .hasMessageContaining("pgha_x: cannot merge");
  }
}
