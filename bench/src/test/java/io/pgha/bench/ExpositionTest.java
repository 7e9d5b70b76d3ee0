package io.pgha.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpositionTest {

  @Test
  void labelsInAnyOrderAndValuesAsPrometheusWritesThem() {
    String body = """
        # HELP pgha_patroni_member_role The member's role in the cluster
        # TYPE pgha_patroni_member_role gauge
        pgha_patroni_member_role{member="pg-1",role="leader",scope="pgha"} 0.0
        pgha_patroni_member_role{member="pg-1",role="replica",scope="pgha"} 1.0
        pgha_patroni_member_role{role="leader",scope="pgha",member="pg-2"} 1.0
        pgha_patroni_member_role_extra{member="pg-3",role="leader",scope="pgha"} 1.0
        pgha_patroni_member_role{member="pg-3",role="leader",scope="other"} 1
        """;
    assertThat(Exposition.membersAtOne(body, "pgha_patroni_member_role",
        Map.of("scope", "pgha", "role", "leader"))).containsExactly("pg-2");
  }

  @Test
  void patroniLinesWithASpaceBeforeTheBraceOrNoLabels() {
    String body = """
        # TYPE patroni_primary gauge
        patroni_primary {scope="pgha"} 1
        patroni_primary_other 1
        patroni_version 030002
        """;
    List<Exposition.Sample> s = Exposition.samples(body, "patroni_primary");
    assertThat(s).containsExactly(new Exposition.Sample(Map.of("scope", "pgha"), 1));
    assertThat(Exposition.samples(body, "patroni_version"))
        .containsExactly(new Exposition.Sample(Map.of(), 30002));
  }

  @Test
  void escapedQuotesInLabelValues() {
    String body = "x{member=\"a\\\"b\",scope=\"s\"} 1\n";
    assertThat(Exposition.membersAtOne(body, "x", Map.of("scope", "s"))).containsExactly("a\\\"b");
  }
}
