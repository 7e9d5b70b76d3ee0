package io.pgha.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class PanelQueryTest {

  @Test
  void extractsTargetsOfPanelsInsideCollapsedRowsAndPrometheusAnnotations() throws Exception {
    JsonNode dashboard = Json.MAPPER.readTree("""
        {"uid": "u", "title": "T",
         "annotations": {"list": [
           {"builtIn": 1, "name": "Annotations & Alerts", "datasource": {"type": "grafana"}},
           {"name": "Leader change", "expr": "a * 1000"},
           {"name": "New style", "target": {"expr": "b", "refId": "Anno"}}]},
         "panels": [
           {"id": 1, "type": "timeseries", "title": "P1",
            "targets": [{"refId": "A", "expr": "x{scope=\\"$scope\\"}"}, {"refId": "B", "expr": "y", "instant": true}]},
           {"id": 2, "type": "row", "title": "R", "collapsed": true,
            "panels": [{"id": 3, "type": "stat", "title": "P3", "targets": [{"refId": "A", "expr": "z"}]}]},
           {"id": 4, "type": "text", "title": "no query"}]}
        """);
    List<PanelQuery> queries = PanelQuery.of(dashboard);
    assertThat(queries).extracting(PanelQuery::where).containsExactly(
        "u #1 \"P1\" A", "u #1 \"P1\" B", "u #3 \"P3\" A",
        "u annotation \"Leader change\"", "u annotation \"New style\"");
    assertThat(queries).extracting(PanelQuery::expr).containsExactly("x{scope=\"$scope\"}", "y", "z", "a * 1000", "b");
    assertThat(queries.get(1).instant()).isTrue();
    assertThat(queries.get(3).isAnnotation()).isTrue();
  }

  @Test
  void everyGeneratedPanelQueryIsFound() {
    for (Dashboard d : Dashboards.all()) {
      JsonNode json = d.toJson();
      long targets = PanelQuery.panels(json).stream().mapToLong(p -> p.path("targets").size()).sum();
      assertThat(PanelQuery.of(json).stream().filter(q -> !q.isAnnotation()).count()).isEqualTo(targets);
    }
  }
}
