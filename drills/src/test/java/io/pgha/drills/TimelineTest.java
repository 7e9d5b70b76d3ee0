package io.pgha.drills;

import static io.pgha.drills.RecordingBuilder.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The timeline's data from a recording, and its SVG against golden text. */
class TimelineTest {

  @Test
  void aFailoverReadsAsSegmentsLagAndMarkers() {
    DrillResult r = DrillJudge.result(new LeaderKillDrill(),
        LeaderKillVerdictTest.failover(15_200, LeaderKillVerdictTest.plan(false)).build());
    Timeline t = Timeline.of(r);

    assertThat(t.fromMillis()).isEqualTo(T0);
    assertThat(t.writesOk()).hasSize(300);
    assertThat(t.writesOk()[0]).isEqualTo(3);  // writes at 0, 40 and 80 ms
    assertThat(t.writesFailed()[100]).isEqualTo(3); // failed writes at 10 000, 10 040 and 10 080 ms
    assertThat(t.leaderKey()).containsExactly(new Timeline.Segment(T0, T0 + 14_800, "pg-1"),
        new Timeline.Segment(T0 + 14_800, T0 + 14_900, null), new Timeline.Segment(T0 + 14_900, T0 + 30_000, "pg-2"));
    assertThat(t.primary()).containsExactly(new Timeline.Segment(T0, T0 + 5_000, "pg-1"),
        new Timeline.Segment(T0 + 5_000, T0 + 14_900, null), new Timeline.Segment(T0 + 14_900, T0 + 30_000, "pg-2"));
    assertThat(t.writeRoute()).containsExactly(new Timeline.Segment(T0, T0 + 30_000, Timeline.UNKNOWN));
    assertThat(t.lagBytes().keySet()).containsExactly("pg-1", "pg-2");
    assertThat(t.lagBytes().get("pg-2")[10]).isEqualTo(1000);
    assertThat(t.lagBytes().get("pg-2")[60]).isNaN();   // no primary known once pg-1 is gone
    assertThat(t.lagBytes().get("pg-1")[250]).isEqualTo(44_500);
    assertThat(t.markers()).extracting(Timeline.Marker::kind, Timeline.Marker::label).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Timeline.Marker.Kind.FAULT, "fault"),
        org.assertj.core.groups.Tuple.tuple(Timeline.Marker.Kind.ALERT_FIRING, "PghaPatroniFailover"),
        org.assertj.core.groups.Tuple.tuple(Timeline.Marker.Kind.RESTORE, "restore"),
        org.assertj.core.groups.Tuple.tuple(Timeline.Marker.Kind.CONVERGED, "healthy"));
  }

  /** Three seconds around a small failover, drawn exactly as the golden file says. */
  static Timeline small() {
    int[] ok = new int[30];
    int[] failed = new int[30];
    for (int i = 0; i < 30; i++) {
      ok[i] = i < 10 || i >= 22 ? 2 + i % 2 : 0;
      failed[i] = i >= 11 && i < 22 ? 1 : 0;
    }
    Map<String, double[]> lag = new LinkedHashMap<>();
    double[] pg3 = new double[30];
    for (int i = 0; i < 30; i++) {
      pg3[i] = i < 10 ? 512 : i < 22 ? Double.NaN : 4096 - (i - 22) * 500;
    }
    lag.put("pg-3", pg3);
    return new Timeline("leader-kill", "SIGKILL the leader's Patroni and PostgreSQL (pg-1); PASS", 0, 3_000, 1_000,
        100, ok, failed,
        List.of(new Timeline.Segment(0, 2_000, "pg-1"), new Timeline.Segment(2_000, 2_100, null),
            new Timeline.Segment(2_100, 3_000, "pg-2")),
        List.of(new Timeline.Segment(0, 1_000, "pg-1"), new Timeline.Segment(1_000, 2_150, null),
            new Timeline.Segment(2_150, 3_000, "pg-2")),
        List.of(new Timeline.Segment(0, 1_200, "pg-1"), new Timeline.Segment(1_200, 2_200, null),
            new Timeline.Segment(2_200, 2_300, "pg-1+pg-2"), new Timeline.Segment(2_300, 3_000, "pg-2")),
        lag,
        List.of(new Timeline.Marker(1_000, Timeline.Marker.Kind.FAULT, "fault"),
            new Timeline.Marker(2_600, Timeline.Marker.Kind.ALERT_FIRING, "PghaPatroniFailover <&>"),
            new Timeline.Marker(2_900, Timeline.Marker.Kind.RESTORE, "restore")),
        List.of("pg-1", "pg-2", "pg-3"));
  }

  @Test
  void drawsTheGoldenSvg() {
    String svg = TimelineSvg.render(small());
    assertThat(svg).isEqualTo(Golden.expect("timeline.svg", svg));
  }
}
