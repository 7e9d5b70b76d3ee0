package io.pgha.dashboards;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One PromQL target of a panel. {@code instant} queries feed stats and tables (only the latest value
 * matters), range queries feed graphs.
 */
public record Query(String expr, String legendFormat, boolean instant, boolean table) {

  public static Query range(String expr, String legendFormat) {
    return new Query(expr, legendFormat, false, false);
  }

  public static Query instant(String expr, String legendFormat) {
    return new Query(expr, legendFormat, true, false);
  }

  /** An instant query whose labels become table columns. */
  public static Query table(String expr) {
    return new Query(expr, "__auto", true, true);
  }

  ObjectNode toJson(String refId) {
    ObjectNode node = Json.object();
    node.set("datasource", Json.prometheusDatasource());
    node.put("editorMode", "code");
    node.put("expr", expr);
    node.put("format", table ? "table" : "time_series");
    node.put("instant", instant);
    node.put("legendFormat", legendFormat);
    node.put("range", !instant);
    node.put("refId", refId);
    return node;
  }
}
