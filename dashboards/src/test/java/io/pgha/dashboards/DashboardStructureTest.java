package io.pgha.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Structural rules every committed dashboard must follow, checked on the files users load. */
class DashboardStructureTest {

  static List<Path> files() {
    return CommittedDashboards.files();
  }

  @Test
  void theFourDashboardsAreThereWithStableUids() {
    Map<String, String> uidByFile = new TreeMap<>();
    for (Path f : files()) {
      uidByFile.put(f.getFileName().toString(), CommittedDashboards.read(f).path("uid").asText());
    }
    assertThat(uidByFile).containsExactlyInAnyOrderEntriesOf(Map.of(
        "pgha-cluster-overview.json", "pgha-cluster-overview",
        "pgha-postgres-instances.json", "pgha-postgres-instances",
        "pgha-etcd.json", "pgha-etcd",
        "pgha-self.json", "pgha-self"));
  }

  @ParameterizedTest
  @MethodSource("files")
  void panelIdsAreUnique(Path file) {
    List<Integer> ids = new ArrayList<>();
    for (JsonNode panel : file(file).path("panels")) {
      ids.add(panel.path("id").asInt());
      panel.path("panels").forEach(p -> ids.add(p.path("id").asInt()));
    }
    assertThat(ids).doesNotHaveDuplicates().doesNotContain(0);
  }

  @ParameterizedTest
  @MethodSource("files")
  void gridPositionsStayInTheGridAndDoNotOverlap(Path file) {
    List<JsonNode> all = new ArrayList<>();
    file(file).path("panels").forEach(all::add);
    List<String> overlaps = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      GridPos a = GridPos.fromJson(all.get(i).path("gridPos")); // throws when outside the grid
      for (int j = i + 1; j < all.size(); j++) {
        GridPos b = GridPos.fromJson(all.get(j).path("gridPos"));
        if (a.overlaps(b)) {
          overlaps.add(title(all.get(i)) + " " + a + " overlaps " + title(all.get(j)) + " " + b);
        }
      }
    }
    assertThat(overlaps).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("files")
  void everyPanelHasUnitDescriptionAndQueries(Path file) {
    List<String> missing = new ArrayList<>();
    for (JsonNode panel : PanelQuery.panels(file(file))) {
      if (panel.path("fieldConfig").path("defaults").path("unit").asText().isBlank()) {
        missing.add(title(panel) + ": no unit");
      }
      if (panel.path("description").asText().isBlank()) {
        missing.add(title(panel) + ": no description");
      }
      if (panel.path("targets").isEmpty()) {
        missing.add(title(panel) + ": no target");
      }
    }
    assertThat(missing).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("files")
  void everyTargetAndPanelUsesTheDatasourceVariable(Path file) {
    JsonNode dashboard = file(file);
    assertThat(dashboard.path("templating").path("list").get(0).path("type").asText()).isEqualTo("datasource");
    String expected = "${" + Json.DATASOURCE_VARIABLE + "}";
    List<String> wrong = new ArrayList<>();
    for (JsonNode panel : PanelQuery.panels(dashboard)) {
      if (!expected.equals(panel.path("datasource").path("uid").asText())) {
        wrong.add(title(panel) + ": panel datasource " + panel.path("datasource"));
      }
      for (JsonNode target : panel.path("targets")) {
        JsonNode ds = target.path("datasource");
        if (!"prometheus".equals(ds.path("type").asText()) || !expected.equals(ds.path("uid").asText())) {
          wrong.add(title(panel) + " " + target.path("refId").asText() + ": target datasource " + ds);
        }
        if (target.path("expr").asText().isBlank()) {
          wrong.add(title(panel) + " " + target.path("refId").asText() + ": empty expr");
        }
      }
    }
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if ("query".equals(v.path("type").asText()) && !expected.equals(v.path("datasource").path("uid").asText())) {
        wrong.add("variable " + v.path("name").asText() + ": datasource " + v.path("datasource"));
      }
    }
    assertThat(wrong).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("files")
  void everyVariableAQueryUsesIsDefined(Path file) {
    JsonNode dashboard = file(file);
    Set<String> defined = new HashSet<>(TemplateVariables.builtIns(3600, 15).keySet());
    dashboard.path("templating").path("list").forEach(v -> defined.add(v.path("name").asText()));
    Map<String, List<String>> undefined = new TreeMap<>();
    for (PanelQuery q : PanelQuery.of(dashboard)) {
      List<String> names = TemplateVariables.referenced(q.expr()).stream()
          .filter(n -> !defined.contains(n)).collect(Collectors.toList());
      if (!names.isEmpty()) {
        undefined.put(q.where(), names);
      }
    }
    assertThat(undefined).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("files")
  void scopedDashboardsFilterEveryPgServerQueryByScope(Path file) {
    JsonNode dashboard = file(file);
    boolean scoped = false;
    for (JsonNode v : dashboard.path("templating").path("list")) {
      scoped |= "scope".equals(v.path("name").asText());
    }
    if (!scoped) {
      return;
    }
    List<String> unscoped = PanelQuery.of(dashboard).stream()
        .filter(q -> q.expr().matches("(?s).*pgha_(patroni|postgres|dcs)_.*") && !q.expr().contains("scope=\"$scope\""))
        .map(PanelQuery::where).toList();
    assertThat(unscoped).as("queries of a scoped dashboard that would mix clusters").isEmpty();
  }

  private static JsonNode file(Path file) {
    return CommittedDashboards.read(file);
  }

  private static String title(JsonNode panel) {
    return "#" + panel.path("id").asInt() + " '" + panel.path("title").asText() + "'";
  }
}
