package io.pgha.drills;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.testkit.Recorded;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetricsTextTest {

  @Test
  void readsPatroniOwnMetricsIncludingItsLineWithASpaceBeforeTheLabels() {
    List<Series> series = MetricsText.parse(Recorded.text("drill/patroni-metrics.txt"), Set.of());

    assertThat(series).filteredOn(s -> s.name().equals("patroni_postgres_server_version"))
        .containsExactly(new Series("patroni_postgres_server_version", Map.of("scope", "pgha"), 150018));
    assertThat(series).filteredOn(s -> s.name().equals("patroni_version"))
        .extracting(Series::value).containsExactly(30002.0);
    assertThat(series).extracting(Series::name).contains("patroni_primary", "patroni_replica",
        "patroni_failsafe_mode_is_active", "patroni_xlog_location");
  }

  @Test
  void keepsOnlyTheNamedSeriesOfAnExporter() {
    List<Series> series = MetricsText.parse(Recorded.text("drill/exporter-patroni-metrics.txt"),
        DrillObserver.EXPORTER_PATRONI_SERIES);
    MetricsSample sample = new MetricsSample(0, MetricsSample.EXPORTER_PATRONI, true, series);

    assertThat(series).extracting(Series::name).allMatch(DrillObserver.EXPORTER_PATRONI_SERIES::contains);
    assertThat(sample.is("pgha_patroni_member_role", Map.of("member", "pg-2", "role", "leader"), 1)).isTrue();
    assertThat(sample.is("pgha_patroni_member_role", Map.of("member", "pg-1", "role", "leader"), 0)).isTrue();
    assertThat(sample.value("pgha_patroni_leader_changes_total")).hasValue(1.0);
    assertThat(sample.value("pgha_patroni_member_up", Map.of("member", "pg-9"))).isEmpty();
  }

  @Test
  void readsEscapesSpecialValuesAndSkipsWhatItCannotRead() {
    List<Series> series = MetricsText.parse("""
        # HELP x help
        a{l="say \\"hi\\"\\n",m="b,c"} 1.5 1700000000000
        b +Inf
        c NaN
        broken{l="x" 1
        d{l="x"} notanumber
        e 3e2
        """, Set.of());

    assertThat(series).containsExactly(new Series("a", Map.of("l", "say \"hi\"\n", "m", "b,c"), 1.5),
        new Series("b", Map.of(), Double.POSITIVE_INFINITY), new Series("c", Map.of(), Double.NaN),
        new Series("e", Map.of(), 300));
  }
}
