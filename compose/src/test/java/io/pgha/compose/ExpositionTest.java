package io.pgha.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpositionTest {

  @Test
  void readsNamesLabelsAndValuesAndSkipsComments() {
    Exposition e = Exposition.parse("""
        # HELP pgha_patroni_leader Whether the member holds the leader key.
        # TYPE pgha_patroni_leader gauge
        pgha_patroni_leader{scope="pgha",member="pg-1"} 1.0
        pgha_patroni_leader{scope="pgha",member="pg-2"} 0
        pgha_patroni_leader_changes_total{scope="pgha"} 3.0 1700000000000
        pgha_exporter_build_info{exporter="patroni",version="0.1.0-SNAPSHOT"} 1.0
        odd_label{path="a \\"quoted\\" \\\\ back, slash"} +Inf
        patroni_postgres_running {scope="pgha"} 1
        plain_metric 2.5E-4
        """);

    assertThat(e.samples()).hasSize(7);
    assertThat(e.named("pgha_patroni_leader")).extracting(Exposition.Sample::labels)
        .containsExactly(Map.of("scope", "pgha", "member", "pg-1"), Map.of("scope", "pgha", "member", "pg-2"));
    assertThat(e.single("pgha_patroni_leader", "member", "pg-1")).contains(1.0);
    assertThat(e.single("pgha_patroni_leader_changes_total", "scope", "pgha")).contains(3.0);
    assertThat(e.named("odd_label").get(0).labels()).containsEntry("path", "a \"quoted\" \\ back, slash");
    assertThat(e.named("odd_label").get(0).value()).isInfinite();
    assertThat(e.single("patroni_postgres_running", "scope", "pgha")).contains(1.0);
    assertThat(e.named("plain_metric").get(0).value()).isEqualTo(2.5E-4);
    assertThat(e.single("pgha_patroni_leader", "scope", "pgha")).isEmpty();
  }
}
