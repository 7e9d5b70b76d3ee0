package io.pgha.promkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlMetricNamesTest {

  @Test
  void selectorsWithAndWithoutMatchers() {
    assertThat(PromQlMetricNames.of("up{job=\"haproxy\"} == 0 or pgha_etcd_up"))
        .containsExactly("pgha_etcd_up", "up");
  }

  @Test
  void functionsAggregationsAndLabelListsAreNotNames() {
    String expr = """
        max by (scope, member) (
          pgha_postgres_in_recovery == bool 0
          and on (job, instance, scope, member) pgha_postgres_up == 1
        ) * on (scope) group_left (member) sum without (instance) (rate(x_total[5m:1m]))
        """;
    assertThat(PromQlMetricNames.of(expr))
        .containsExactly("pgha_postgres_in_recovery", "pgha_postgres_up", "x_total");
  }

  @Test
  void aggregationWithTrailingGroupingClause() {
    assertThat(PromQlMetricNames.of("sum(a) by (scope) / count without (b, c) (d)"))
        .containsExactly("a", "d");
  }

  @Test
  void stringsNumbersDurationsAndOffsetsAreSkipped() {
    String expr = "label_replace(lag{stage=\"re}play\"} offset 5m, \"member\", \"$1\", \"standby\", \"(.*)\")"
        + " > 1e3 and increase(changes_total[10m]) > 0x10 and vector(1) and time() - t @ start() > Inf";
    assertThat(PromQlMetricNames.of(expr)).containsExactly("changes_total", "lag", "t");
  }

  @Test
  void recordingRuleNamesWithColonsAreNames() {
    assertThat(PromQlMetricNames.of("pgha:dcs_leader unless on (scope, member) pgha:postgres_replica"))
        .containsExactly("pgha:dcs_leader", "pgha:postgres_replica");
  }

  @Test
  void nameMatcherCountsAndCommentsDoNot() {
    String expr = """
        {__name__="pgha_patroni_up", scope="pgha"} # not_a_metric here
        or {job="x", __name__ = 'pgha_etcd_up'} or {__name__=~"ignored_.*"}
        """;
    assertThat(PromQlMetricNames.of(expr)).containsExactly("pgha_etcd_up", "pgha_patroni_up");
  }

  @Test
  void templateQueriesInAnnotations() {
    String template = "only {{ with printf \"max(pgha_patroni_cluster_members{scope=%q})\" $labels.scope"
        + " | query }}{{ . | first | value }}{{ end }} and {{ $labels.member }} pgha_in_text_only";
    assertThat(PromQlMetricNames.inTemplate(template)).containsExactly("pgha_patroni_cluster_members");
  }

  @Test
  void findsMetricsButNotFunctionsKeywordsOrLabels() {
    assertThat(PromQlMetricNames.of(
        "histogram_quantile(0.99, sum by (instance, le) (rate(etcd_disk_wal_fsync_duration_seconds_bucket"
            + "{job=\"etcd\"}[1m])))"))
        .containsExactly("etcd_disk_wal_fsync_duration_seconds_bucket");
    assertThat(PromQlMetricNames.of("pgha_dcs_leader{scope=\"a\"} == 1 or pgha_patroni_leader == 1"
        + " unless on (scope) group_left (member) up offset 5m"))
        .containsExactly("pgha_dcs_leader", "pgha_patroni_leader", "up");
    assertThat(PromQlMetricNames.of("sum(x) without (a) / ignoring(b) group_right y > bool 2"))
        .containsExactly("x", "y");
    assertThat(PromQlMetricNames.of("count(group by (member) (a)) or vector(0) + time() - b"))
        .containsExactly("a", "b");
  }

  @Test
  void ignoresStringsAndMatchersEvenWithBracesInside() {
    assertThat(PromQlMetricNames.of("label_replace(m{x=~\"a}b\"}, \"dst\", \"$1\", \"src\", \"(.*)\")"))
        .containsExactly("m");
    assertThat(PromQlMetricNames.of("{__name__=~\"pgha_.*\"}")).isEmpty();
    assertThat(PromQlMetricNames.of("recording:rule:sum_rate5m")).containsExactly("recording:rule:sum_rate5m");
  }

  @Test
  void keywordsInAnyCase() {
    assertThat(PromQlMetricNames.of("SUM BY (scope) (a) AND ON (scope) b UNLESS c OFFSET 5m"))
        .containsExactly("a", "b", "c");
  }
}
