package io.pgha.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleMetricNamesTest {

  @Test
  void selectorsWithAndWithoutMatchers() {
    assertThat(RuleMetricNames.inExpression("up{job=\"haproxy\"} == 0 or pgha_etcd_up"))
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
    assertThat(RuleMetricNames.inExpression(expr))
        .containsExactly("pgha_postgres_in_recovery", "pgha_postgres_up", "x_total");
  }

  @Test
  void aggregationWithTrailingGroupingClause() {
    assertThat(RuleMetricNames.inExpression("sum(a) by (scope) / count without (b, c) (d)"))
        .containsExactly("a", "d");
  }

  @Test
  void stringsNumbersDurationsAndOffsetsAreSkipped() {
    String expr = "label_replace(lag{stage=\"re}play\"} offset 5m, \"member\", \"$1\", \"standby\", \"(.*)\")"
        + " > 1e3 and increase(changes_total[10m]) > 0x10 and vector(1) and time() - t @ start() > Inf";
    assertThat(RuleMetricNames.inExpression(expr)).containsExactly("changes_total", "lag", "t");
  }

  @Test
  void recordingRuleNamesWithColonsAreNames() {
    assertThat(RuleMetricNames.inExpression("pgha:dcs_leader unless on (scope, member) pgha:postgres_replica"))
        .containsExactly("pgha:dcs_leader", "pgha:postgres_replica");
  }

  @Test
  void nameMatcherCountsAndCommentsDoNot() {
    String expr = """
        {__name__="pgha_patroni_up", scope="pgha"} # not_a_metric here
        or {job="x", __name__ = 'pgha_etcd_up'} or {__name__=~"ignored_.*"}
        """;
    assertThat(RuleMetricNames.inExpression(expr)).containsExactly("pgha_etcd_up", "pgha_patroni_up");
  }

  @Test
  void templateQueriesInAnnotations() {
    String template = "only {{ with printf \"max(pgha_patroni_cluster_members{scope=%q})\" $labels.scope"
        + " | query }}{{ . | first | value }}{{ end }} and {{ $labels.member }} pgha_in_text_only";
    assertThat(RuleMetricNames.inTemplate(template)).containsExactly("pgha_patroni_cluster_members");
  }

  @Test
  void recordedSeriesAreNotReportedAsMetricsToLookFor() {
    Rule record = new Rule("r.yml", "g", null, "pgha:primary", "max by (scope) (pg_up == 1)", null,
        Map.of(), Map.of());
    Rule alert = new Rule("a.yml", "g", "A", null, "pgha:primary > 1 or other", "1m",
        Map.of("severity", "warning"),
        Map.of("description", "{{ with printf \"annotated{a=%q}\" $labels.a | query }}{{ end }}"));
    assertThat(RuleMetricNames.of(List.of(record, alert)))
        .containsExactly("annotated", "other", "pg_up");
  }

  /** The contract names the shipped rules watch: review any change against the exporters' docs. */
  @Test
  void metricNamesOfTheShippedRules() {
    assertThat(RuleMetricNames.fromRuleFiles(Path.of("rules"))).containsExactly(
        "haproxy_backend_active_servers",
        "haproxy_backend_backup_servers",
        "pgha_dcs_leader",
        "pgha_dcs_leader_changes_total",
        "pgha_dcs_leader_key_present",
        "pgha_dcs_watch_healthy",
        "pgha_etcd_alarm",
        "pgha_etcd_cluster_leaders_seen",
        "pgha_etcd_cluster_members",
        "pgha_etcd_cluster_members_healthy",
        "pgha_etcd_collector_success",
        "pgha_etcd_failures_tolerable",
        "pgha_etcd_member_healthy",
        "pgha_etcd_member_up",
        "pgha_etcd_quorum_available",
        "pgha_etcd_quorum_size",
        "pgha_etcd_up",
        "pgha_patroni_cluster_failsafe_active",
        "pgha_patroni_cluster_has_leader",
        "pgha_patroni_cluster_leaders",
        "pgha_patroni_cluster_members",
        "pgha_patroni_cluster_paused",
        "pgha_patroni_collector_success",
        "pgha_patroni_leader",
        "pgha_patroni_leader_changes_total",
        "pgha_patroni_member_pending_restart",
        "pgha_patroni_member_up",
        "pgha_postgres_collector_success",
        "pgha_postgres_in_recovery",
        "pgha_postgres_replication_lag_bytes",
        "pgha_postgres_replication_lag_seconds",
        "pgha_postgres_replication_slot_active",
        "pgha_postgres_replication_state",
        "pgha_postgres_up",
        "up");
  }
}
