package io.pgha.promkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.promkit.Exposition.Sample;
import io.pgha.testkit.Recorded;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpositionTest {

  @Test
  void readsPatroniOwnMetricsIncludingItsLineWithASpaceBeforeTheLabels() {
    Exposition e = Exposition.parse(Recorded.text("patroni-metrics.txt"));

    assertThat(e.named("patroni_postgres_server_version"))
        .containsExactly(new Sample("patroni_postgres_server_version", Map.of("scope", "pgha"), 150018));
    assertThat(e.named("patroni_version")).extracting(Sample::value).containsExactly(30002.0);
    assertThat(e.samples()).extracting(Sample::name).contains("patroni_primary", "patroni_replica",
        "patroni_failsafe_mode_is_active", "patroni_xlog_location");
    assertThat(e.skipped()).isEmpty();
  }

  @Test
  void readsEscapesSpecialValuesAndSetsAsideWhatItCannotRead() {
    Exposition e = Exposition.parse("""
        # HELP x help
        a{l="say \\"hi\\"\\n",m="b,c"} 1.5 1700000000000
        b +Inf
        c NaN
        broken{l="x" 1
        d{l="x"} notanumber
        e 3e2
        """);

    assertThat(e.samples()).containsExactly(new Sample("a", Map.of("l", "say \"hi\"\n", "m", "b,c"), 1.5),
        new Sample("b", Map.of(), Double.POSITIVE_INFINITY), new Sample("c", Map.of(), Double.NaN),
        new Sample("e", Map.of(), 300));
    assertThat(e.skipped()).containsExactly("broken{l=\"x\" 1", "d{l=\"x\"} notanumber");
  }

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
    assertThat(e.named("pgha_patroni_leader")).extracting(Sample::labels)
        .containsExactly(Map.of("scope", "pgha", "member", "pg-1"), Map.of("scope", "pgha", "member", "pg-2"));
    assertThat(e.value("pgha_patroni_leader", "member", "pg-1")).hasValue(1.0);
    assertThat(e.value("pgha_patroni_leader_changes_total", "scope", "pgha")).hasValue(3.0);
    assertThat(e.named("odd_label").get(0).labels()).containsEntry("path", "a \"quoted\" \\ back, slash");
    assertThat(e.named("odd_label").get(0).value()).isInfinite();
    assertThat(e.value("patroni_postgres_running", "scope", "pgha")).hasValue(1.0);
    assertThat(e.named("plain_metric").get(0).value()).isEqualTo(2.5E-4);
    assertThat(e.value("pgha_patroni_leader", "member", "pg-9")).isEmpty();
    assertThatThrownBy(() -> e.value("pgha_patroni_leader", "scope", "pgha"))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("2 samples of pgha_patroni_leader");
  }

  @Test
  void labelsInAnyOrderAndMetricsWhoseNameStartsWithAnother() {
    Exposition e = Exposition.parse("""
        # HELP pgha_patroni_member_role The member's role in the cluster
        # TYPE pgha_patroni_member_role gauge
        pgha_patroni_member_role{member="pg-1",role="leader",scope="pgha"} 0.0
        pgha_patroni_member_role{member="pg-1",role="replica",scope="pgha"} 1.0
        pgha_patroni_member_role{role="leader",scope="pgha",member="pg-2"} 1.0
        pgha_patroni_member_role_extra{member="pg-3",role="leader",scope="pgha"} 1.0
        pgha_patroni_member_role{member="pg-3",role="leader",scope="other"} 1
        """);

    assertThat(e.all("pgha_patroni_member_role", "scope", "pgha", "role", "leader").stream()
        .filter(s -> s.value() == 1).map(s -> s.labels().get("member"))).containsExactly("pg-2");
    assertThat(e.named("pgha_patroni_member_role").get(2).matches("pgha_patroni_member_role",
        Map.of("member", "pg-2", "scope", "pgha"))).isTrue();
    assertThat(e.named("pgha_patroni_member_role").get(2).has("member", "pg-2", "role", "replica")).isFalse();
  }

  @Test
  void patroniLinesWithASpaceBeforeTheBraceOrNoLabels() {
    Exposition e = Exposition.parse("""
        # TYPE patroni_primary gauge
        patroni_primary {scope="pgha"} 1
        patroni_primary_other 1
        patroni_version 030002
        """);
    assertThat(e.named("patroni_primary")).containsExactly(new Sample("patroni_primary", Map.of("scope", "pgha"), 1));
    assertThat(e.named("patroni_version")).containsExactly(new Sample("patroni_version", Map.of(), 30002));
  }

  @Test
  void escapedQuotesInLabelValues() {
    Exposition e = Exposition.parse("x{member=\"a\\\"b\",scope=\"s\"} 1\n");
    assertThat(e.all("x", "scope", "s")).extracting(s -> s.labels().get("member")).containsExactly("a\"b");
  }
}
