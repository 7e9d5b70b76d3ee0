package io.pgha.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.promkit.PromQlMetricNames;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The metric names the dashboards query, held against the contract (promkit reads them from the PromQL). */
class DashboardMetricNamesTest {

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
    allowed.addAll(MetricCatalog.RECORDED);
    assertThat(allowed).as("metric names used by the dashboards that no contract lists (typo?)").containsAll(used);
    assertThat(used).as("the assumed names are listed because a dashboard uses them").containsAll(MetricCatalog.ASSUMED);
  }
}
