package io.pgha.drills;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SteadyStateTest {

  private static String missing(RecordingBuilder b, long now) {
    DrillRecording r = b.build();
    return SteadyState.missing(RecordingBuilder.T0 + now, 3_000, r.outcomes(), r.metrics(), r.positions(),
        r.leaderKeys(), r.facts());
  }

  private static RecordingBuilder healthy(long until) {
    RecordingBuilder b = RecordingBuilder.of(DrillKind.LEADER_KILL).key(0, until, "pg-1", true)
        .position("pg-1", 0, until, true, 1000, 100)
        .metric(MetricsSample.EXPORTER_PATRONI, 0, until).metric(MetricsSample.EXPORTER_ETCD, 0, until);
    for (String m : new String[] {"pg-1", "pg-2", "pg-3"}) {
      b.metric(MetricsSample.patroni(m), 0, until);
    }
    return b;
  }

  @Test
  void steadyOnceWritesWereAcknowledgedForTheWholeWindowAndEverySourceAnswers() {
    assertThat(missing(healthy(10_000).writes(2_000, 10_000, "pg-1"), 5_500)).isEmpty();
  }

  @Test
  void namesWhatIsMissing() {
    assertThat(missing(healthy(10_000).writes(2_000, 10_000, "pg-1"), 4_000))
        .isEqualTo("writes acknowledged for less than 3000 ms");
    assertThat(missing(healthy(10_000).writes(1_000, 4_000, "pg-1").writes(4_000, 4_100, null)
        .writes(4_100, 10_000, "pg-1"), 6_000)).isEqualTo("3 failed writes in the last 3000 ms");
    assertThat(missing(RecordingBuilder.of(DrillKind.LEADER_KILL).writes(0, 10_000, "pg-1"), 9_000)).isEqualTo(
        "exporter-patroni /metrics not answering; exporter-etcd /metrics not answering; patroni:pg-1 /metrics not "
            + "answering; patroni:pg-2 /metrics not answering; patroni:pg-3 /metrics not answering; leader key not "
            + "seen held by pg-1; pg-1 not seen running as primary");
  }
}
