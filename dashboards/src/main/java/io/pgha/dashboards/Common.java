package io.pgha.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgha.patroni.PatroniMetrics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Pieces several dashboards share: variables, colours, table transformations. */
final class Common {

  static final String GREEN = "green";
  static final String RED = "red";
  static final String ORANGE = "orange";
  static final String BLUE = "blue";

  private Common() {}

  static Variable scope() {
    return Variable.labelValues("scope", "Scope", "label_values(" + PatroniMetrics.UP.name() + ", scope)")
        .description("Patroni cluster (scope) as reported by exporter-patroni");
  }

  static Panel.Step base(String color) {
    return new Panel.Step(null, color);
  }

  static Panel.Step from(double value, String color) {
    return new Panel.Step(value, color);
  }

  /** Value-mapping JSON for a table-column override (mappings are per column there). */
  static JsonNode valueMappings(String... valueTextColor) {
    ArrayNode list = Json.array();
    ObjectNode map = list.addObject();
    map.put("type", "value");
    ObjectNode options = map.putObject("options");
    for (int i = 0; i + 2 < valueTextColor.length; i += 3) {
      options.putObject(valueTextColor[i]).put("color", valueTextColor[i + 2]).put("index", i / 3)
          .put("text", valueTextColor[i + 1]);
    }
    return list;
  }

  /**
   * Table queries come back as one frame per query, keyed by the same labels: merge them into one
   * row per key, then hide the timestamps and name the value columns.
   */
  static Panel mergeTable(Panel table, Map<String, String> renames, List<String> hidden) {
    table.transformation("merge", Json.object());
    ObjectNode organize = Json.object();
    ObjectNode exclude = organize.putObject("excludeByName");
    exclude.put("Time", true);
    hidden.stream().sorted().forEach(name -> exclude.put(name, true));
    organize.putObject("indexByName");
    ObjectNode rename = organize.putObject("renameByName");
    new TreeMap<>(renames).forEach(rename::put); // sorted: the committed JSON must not depend on Map order
    table.transformation("organize", organize);
    return table;
  }
}
