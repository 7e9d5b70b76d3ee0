package io.pgha.dashboards;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An event overlay drawn on every graph of a dashboard from a PromQL query.
 *
 * <p>With {@code useValueForTime} the query's value (a Unix time in milliseconds) places the marker,
 * so a leader change appears at the moment it happened, not at the next evaluation step; samples
 * repeating the same time collapse into one event.
 */
public record Annotation(String name, String expr, String titleFormat, String textFormat, String iconColor,
    boolean useValueForTime) {

  static ObjectNode builtIn() {
    ObjectNode a = Json.object();
    a.put("builtIn", 1);
    a.putObject("datasource").put("type", "grafana").put("uid", "-- Grafana --");
    a.put("enable", true);
    a.put("hide", true);
    a.put("iconColor", "rgba(0, 211, 255, 1)");
    a.put("name", "Annotations & Alerts");
    a.put("type", "dashboard");
    return a;
  }

  ObjectNode toJson() {
    ObjectNode a = Json.object();
    a.set("datasource", Json.prometheusDatasource());
    a.put("enable", true);
    a.put("expr", expr);
    a.put("hide", false);
    a.put("iconColor", iconColor);
    a.put("name", name);
    a.put("step", "15s");
    a.put("tagKeys", "scope");
    a.put("textFormat", textFormat);
    a.put("titleFormat", titleFormat);
    a.put("useValueForTime", useValueForTime);
    return a;
  }
}
