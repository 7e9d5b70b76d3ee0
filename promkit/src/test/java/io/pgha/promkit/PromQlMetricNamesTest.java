package io.pgha.promkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PromQlMetricNamesTest {

  /** What is being shown, the expression, and exactly the names it selects (sorted). */
  static Stream<Arguments> expressions() {
    return Stream.of(
        Arguments.of("selectors with and without matchers",
            "up{job=\"haproxy\"} == 0 or pgha_etcd_up", List.of("pgha_etcd_up", "up")),
        Arguments.of("functions, aggregations and label lists are not names", """
            max by (scope, member) (
              pgha_postgres_in_recovery == bool 0
              and on (job, instance, scope, member) pgha_postgres_up == 1
            ) * on (scope) group_left (member) sum without (instance) (rate(x_total[5m:1m]))
            """, List.of("pgha_postgres_in_recovery", "pgha_postgres_up", "x_total")),
        Arguments.of("aggregation with a trailing grouping clause",
            "sum(a) by (scope) / count without (b, c) (d)", List.of("a", "d")),
        Arguments.of("strings, numbers, durations and offsets are skipped",
            "label_replace(lag{stage=\"re}play\"} offset 5m, \"member\", \"$1\", \"standby\", \"(.*)\")"
                + " > 1e3 and increase(changes_total[10m]) > 0x10 and vector(1) and time() - t @ start() > Inf",
            List.of("changes_total", "lag", "t")),
        Arguments.of("recording rule names with colons are names",
            "pgha:dcs_leader unless on (scope, member) pgha:postgres_replica",
            List.of("pgha:dcs_leader", "pgha:postgres_replica")),
        Arguments.of("a __name__ matcher counts, comments do not", """
            {__name__="pgha_patroni_up", scope="pgha"} # not_a_metric here
            or {job="x", __name__ = 'pgha_etcd_up'} or {__name__=~"ignored_.*"}
            """, List.of("pgha_etcd_up", "pgha_patroni_up")),
        Arguments.of("metrics, not functions, keywords or labels: a histogram quantile",
            "histogram_quantile(0.99, sum by (instance, le) (rate(etcd_disk_wal_fsync_duration_seconds_bucket"
                + "{job=\"etcd\"}[1m])))", List.of("etcd_disk_wal_fsync_duration_seconds_bucket")),
        Arguments.of("metrics, not functions, keywords or labels: set operators and offsets",
            "pgha_dcs_leader{scope=\"a\"} == 1 or pgha_patroni_leader == 1"
                + " unless on (scope) group_left (member) up offset 5m",
            List.of("pgha_dcs_leader", "pgha_patroni_leader", "up")),
        Arguments.of("metrics, not functions, keywords or labels: ignoring and group_right",
            "sum(x) without (a) / ignoring(b) group_right y > bool 2", List.of("x", "y")),
        Arguments.of("metrics, not functions, keywords or labels: vector and time",
            "count(group by (member) (a)) or vector(0) + time() - b", List.of("a", "b")),
        Arguments.of("strings and matchers are skipped even with braces inside",
            "label_replace(m{x=~\"a}b\"}, \"dst\", \"$1\", \"src\", \"(.*)\")", List.of("m")),
        Arguments.of("a regex __name__ matcher names nothing", "{__name__=~\"pgha_.*\"}", List.of()),
        Arguments.of("a recording rule's name alone", "recording:rule:sum_rate5m",
            List.of("recording:rule:sum_rate5m")),
        Arguments.of("keywords in any case", "SUM BY (scope) (a) AND ON (scope) b UNLESS c OFFSET 5m",
            List.of("a", "b", "c")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expressions")
  void namesTheMetricsAnExpressionSelects(String what, String expr, List<String> names) {
    assertThat(PromQlMetricNames.of(expr)).containsExactlyElementsOf(names);
  }

  @Test
  void templateQueriesInAnnotations() {
    String template = "only {{ with printf \"max(pgha_patroni_cluster_members{scope=%q})\" $labels.scope"
        + " | query }}{{ . | first | value }}{{ end }} and {{ $labels.member }} pgha_in_text_only";
    assertThat(PromQlMetricNames.inTemplate(template)).containsExactly("pgha_patroni_cluster_members");
  }
}
