package io.pgha.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One PromQL expression of a dashboard as Grafana would send it: a panel target or an annotation.
 *
 * @param panelId null for an annotation
 * @param refId the target's refId, or the annotation's name
 */
public record PanelQuery(String dashboardUid, String dashboardTitle, Integer panelId, String panelTitle,
    String refId, String expr, boolean instant) {

  public boolean isAnnotation() {
    return panelId == null;
  }

  /** Where the query sits, for reports: {@code pgha-etcd #7 "Quorum" A}. */
  public String where() {
    return isAnnotation()
        ? dashboardUid + " annotation \"" + refId + "\""
        : dashboardUid + " #" + panelId + " \"" + panelTitle + "\" " + refId;
  }

  /** Every panel target (rows' nested panels included) and every Prometheus annotation, in order. */
  public static List<PanelQuery> of(JsonNode dashboard) {
    String uid = dashboard.path("uid").asText();
    String title = dashboard.path("title").asText();
    List<PanelQuery> queries = new ArrayList<>();
    for (JsonNode panel : panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        if (target.hasNonNull("expr")) {
          queries.add(new PanelQuery(uid, title, panel.path("id").asInt(), panel.path("title").asText(),
              target.path("refId").asText(), target.path("expr").asText(), target.path("instant").asBoolean()));
        }
      }
    }
    for (JsonNode annotation : dashboard.path("annotations").path("list")) {
      String expr = annotation.hasNonNull("expr")
          ? annotation.path("expr").asText()
          : annotation.path("target").path("expr").asText(null);
      if (expr != null && !expr.isBlank()) {
        queries.add(new PanelQuery(uid, title, null, null, annotation.path("name").asText(), expr, false));
      }
    }
    return queries;
  }

  /** Visualisation panels, flattening collapsed rows (which hold their panels inside). */
  public static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      if ("row".equals(panel.path("type").asText())) {
        panel.path("panels").forEach(out::add);
      } else {
        out.add(panel);
      }
    }
    return out;
  }
}
