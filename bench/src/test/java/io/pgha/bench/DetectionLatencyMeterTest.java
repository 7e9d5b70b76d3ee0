package io.pgha.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectionLatencyMeterTest {

  @Test
  void pghaShowsTheLeaderOnlyWhenItsSeriesIsOne() {
    DetectionLatencyMeter.Target t = DetectionLatencyMeter.Target.pgha(URI.create("http://127.0.0.1:9813/metrics"), "pgha",
        Duration.ofMillis(10));
    String body = """
        pgha_dcs_leader{member="pg-1",scope="pgha"} 0.0
        pgha_dcs_leader{member="pg-2",scope="pgha"} 1.0
        pgha_dcs_leader{member="pg-1",scope="other"} 1.0
        """;
    assertThat(t.shows(body, "pg-2")).isTrue();
    assertThat(t.shows(body, "pg-1")).as("1 only in another scope").isFalse();
    assertThat(t.shows(body, "pg-")).isFalse();
  }

  @Test
  void patroniShowsTheLeaderOnTheNewLeadersOwnEndpoint() {
    // Patroni 3.0.2's /metrics, as served by the leader.
    DetectionLatencyMeter.Target t = DetectionLatencyMeter.Target.patroni(
        Map.of("pg-2", URI.create("http://127.0.0.22:8008/metrics")), Duration.ofMillis(100));
    assertThat(t.metricsUrl().apply("pg-2")).isEqualTo(URI.create("http://127.0.0.22:8008/metrics"));
    assertThat(t.shows("patroni_master{scope=\"pgha\"} 1\npatroni_primary{scope=\"pgha\"} 1\n", "pg-2")).isTrue();
    assertThat(t.shows("patroni_master{scope=\"pgha\"} 0\npatroni_replica{scope=\"pgha\"} 1\n", "pg-2")).isFalse();
  }

  @Test
  void summaryGivesNearestRankPercentilesPerTarget() {
    List<DetectionLatencyMeter.Sample> samples = new java.util.ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      samples.add(new DetectionLatencyMeter.Sample("pgha", "pg-1", i));
    }
    samples.add(new DetectionLatencyMeter.Sample("patroni", "pg-1", 150));
    assertThat(DetectionLatencyMeter.summary(samples)).isEqualTo("""
        patroni: n=1 p50=150.0 ms p95=150.0 ms max=150.0 ms
        pgha: n=20 p50=10.0 ms p95=19.0 ms max=20.0 ms
        """);
  }
}
