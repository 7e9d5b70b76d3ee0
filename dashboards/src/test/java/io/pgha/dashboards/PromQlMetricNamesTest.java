package io.pgha.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PromQlMetricNamesTest {

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
  void theDashboardsUseOnlyContractOrKnownThirdPartyMetrics() {
    Set<String> used = new TreeSet<>();
    TemplateVariables builtIns = new TemplateVariables(TemplateVariables.builtIns(3600, 15));
    for (Dashboard d : Dashboards.all()) {
      PanelQuery.of(d.toJson()).forEach(q -> used.addAll(PromQlMetricNames.of(builtIns.interpolate(q.expr()).text())));
    }
    Set<String> allowed = new TreeSet<>(MetricCatalog.CONTRACT);
    allowed.addAll(MetricCatalog.ASSUMED);
    allowed.addAll(MetricCatalog.THIRD_PARTY);
    assertThat(allowed).as("metric names used by the dashboards that no contract lists (typo?)").containsAll(used);
    assertThat(used).as("the assumed names are listed because a dashboard uses them").containsAll(MetricCatalog.ASSUMED);
  }
}
