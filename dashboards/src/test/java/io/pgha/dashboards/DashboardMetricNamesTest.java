package io.pgha.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.promkit.PromQlMetricNames;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The metric names the dashboards query (promkit reads them from the PromQL): every pgha_ name is
 * a family an exporter declares, every other one a known third party's.
 */
class DashboardMetricNamesTest {

  @Test
  void theDashboardsUseOnlyDeclaredOrKnownThirdPartyMetrics() {
    Set<String> used = new TreeSet<>();
    TemplateVariables builtIns = new TemplateVariables(TemplateVariables.builtIns(3600, 15));
    for (Dashboard d : Dashboards.all()) {
      PanelQuery.of(d.toJson()).forEach(q -> used.addAll(PromQlMetricNames.of(builtIns.interpolate(q.expr()).text())));
    }
    Set<String> allowed = new TreeSet<>(MetricCatalog.declared());
    allowed.addAll(MetricCatalog.THIRD_PARTY);
    allowed.addAll(MetricCatalog.RECORDED);
    assertThat(allowed).as("metric names used by the dashboards that no exporter declares (typo?)").containsAll(used);
    assertThat(used).as("the dashboards show each exporter's own metrics").anyMatch(n -> n.startsWith("pgha_patroni_"))
        .anyMatch(n -> n.startsWith("pgha_postgres_")).anyMatch(n -> n.startsWith("pgha_etcd_"))
        .anyMatch(n -> n.startsWith("pgha_dcs_"));
  }
}
