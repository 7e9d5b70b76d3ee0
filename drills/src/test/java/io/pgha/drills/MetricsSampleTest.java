package io.pgha.drills;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.patroni.PatroniMetrics;
import io.pgha.promkit.Exposition;
import io.pgha.testkit.Recorded;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsSampleTest {

  @Test
  void keepsOnlyTheNamedSeriesOfAnExporter() {
    List<Exposition.Sample> series = MetricsPoller.keep(Recorded.text("drill/exporter-patroni-metrics.txt"),
        DrillObserver.EXPORTER_PATRONI_SERIES);
    MetricsSample sample = new MetricsSample(0, MetricsSample.EXPORTER_PATRONI, true, series);

    assertThat(series).extracting(Exposition.Sample::name).allMatch(DrillObserver.EXPORTER_PATRONI_SERIES::contains);
    assertThat(sample.is(PatroniMetrics.MEMBER_ROLE.name(), Map.of("member", "pg-2", "role", "leader"), 1)).isTrue();
    assertThat(sample.is(PatroniMetrics.MEMBER_ROLE.name(), Map.of("member", "pg-1", "role", "leader"), 0)).isTrue();
    assertThat(sample.value(PatroniMetrics.LEADER_CHANGES.name())).hasValue(1.0);
    assertThat(sample.value(PatroniMetrics.MEMBER_UP.name(), Map.of("member", "pg-9"))).isEmpty();
  }
}
