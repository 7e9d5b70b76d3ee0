package io.pgha.dashboards;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A dashboard template variable. */
public final class Variable {

  private final ObjectNode json;

  private Variable(ObjectNode json) {
    this.json = json;
  }

  /** The Prometheus data source every panel uses, chosen by the user (initially the provisioned one). */
  public static Variable datasource() {
    ObjectNode v = Json.object();
    v.putObject("current").put("text", Json.PROVISIONED_DATASOURCE_NAME).put("value", Json.PROVISIONED_DATASOURCE_UID);
    v.put("hide", 0);
    v.put("includeAll", false);
    v.put("label", "Data source");
    v.put("multi", false);
    v.put("name", Json.DATASOURCE_VARIABLE);
    v.putArray("options");
    v.put("query", "prometheus");
    v.put("refresh", 1);
    v.put("regex", "");
    v.put("skipUrlSync", false);
    v.put("type", "datasource");
    return new Variable(v);
  }

  /**
   * A variable filled from Prometheus with {@code label_values(selector, label)}, refreshed when the
   * time range changes (members come and go with failovers).
   */
  public static Variable labelValues(String name, String label, String query) {
    ObjectNode v = Json.object();
    v.set("datasource", Json.prometheusDatasource());
    v.put("hide", 0);
    v.put("includeAll", false);
    v.put("label", label);
    v.put("multi", false);
    v.put("name", name);
    v.putArray("options");
    v.put("query", query);
    v.put("refresh", 2);
    v.put("regex", "");
    v.put("skipUrlSync", false);
    v.put("sort", 1);
    v.put("type", "query");
    return new Variable(v);
  }

  /** Lets the user pick several values or All ({@code allValue} is the regex All stands for). */
  public Variable multiWithAll(String allValue) {
    json.put("includeAll", true);
    json.put("multi", true);
    json.put("allValue", allValue);
    return this;
  }

  /** Keeps only the values matching a Grafana regex like {@code /write|primary/}. */
  public Variable regex(String regex) {
    json.put("regex", regex);
    return this;
  }

  public Variable description(String text) {
    json.put("description", text);
    return this;
  }

  public String name() {
    return json.path("name").asText();
  }

  ObjectNode toJson() {
    return json.deepCopy();
  }
}
