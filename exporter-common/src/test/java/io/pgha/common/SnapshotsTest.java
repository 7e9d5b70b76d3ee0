package io.pgha.common;

import static io.pgha.common.Snapshots.gauge;
import static io.pgha.common.Snapshots.gaugePoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotsTest {

  @Test
  void mergesSnapshotsOfTheSameNameAndKeepsOrder() {
    String text = TextExposition.render(List.of(
        gauge("pgha_x_up", "Up.", gaugePoint(1, "scope", "a")),
        gauge("pgha_x_other", "Other.", gaugePoint(3)),
        gauge("pgha_x_up", "Up.", gaugePoint(0, "scope", "b"))));
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
    String text = TextExposition.render(List.of(gauge("pgha_x_role", "Role.",
        Snapshots.oneHot("role", List.of("leader", "replica", "other"), "replica", "member", "m1"))));
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
        gauge("pgha_x", "X.", gaugePoint(1)),
        Snapshots.counter("pgha_x", "X.", Snapshots.counterPoint(1)))))
        .hasMessageContaining("pgha_x: cannot merge");
  }
}
