package io.pgha.lab.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Parses Prometheus's {@code /api/v1/alerts} response and Alertmanager's webhook payloads. Pure:
 * text in, records out; a malformed document fails with the path of the offending field.
 */
public final class AlertJson {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Alertmanager's "no end" ({@code 0001-01-01T00:00:00Z}). */
  private static final Instant NO_END = Instant.parse("0001-01-01T00:00:00Z");

  private AlertJson() {}

  /** The alerts of a {@code GET /api/v1/alerts} response body. */
  public static List<PrometheusAlert> prometheusAlerts(String body) {
    JsonNode root = read(body, "Prometheus /api/v1/alerts");
    if (!"success".equals(root.path("status").asText())) {
      throw new IllegalArgumentException("Prometheus /api/v1/alerts: status "
          + root.path("status").asText("missing") + ": " + root.path("error").asText(""));
    }
    JsonNode alerts = root.path("data").path("alerts");
    if (!alerts.isArray()) {
      throw new IllegalArgumentException("Prometheus /api/v1/alerts: data.alerts: missing or not a list");
    }
    List<PrometheusAlert> result = new ArrayList<>();
    for (int i = 0; i < alerts.size(); i++) {
      JsonNode a = alerts.get(i);
      String where = "data.alerts[" + i + "]";
      result.add(new PrometheusAlert(text(a, "state", where), instant(a, "activeAt", where),
          a.path("value").asText(""), strings(a.path("labels")), strings(a.path("annotations"))));
    }
    return result;
  }

  /** One recorded webhook payload (one line of notifications.jsonl). */
  public static Notification notification(int line, String json) {
    JsonNode root = read(json, "line " + line);
    String where = "line " + line;
    JsonNode alerts = root.path("alerts");
    if (!alerts.isArray()) {
      throw new IllegalArgumentException(where + ": alerts: missing or not a list");
    }
    List<NotifiedAlert> result = new ArrayList<>();
    for (int i = 0; i < alerts.size(); i++) {
      JsonNode a = alerts.get(i);
      String at = where + ": alerts[" + i + "]";
      Instant ends = a.hasNonNull("endsAt") ? instant(a, "endsAt", at) : NO_END;
      result.add(new NotifiedAlert(text(a, "status", at), strings(a.path("labels")),
          strings(a.path("annotations")), instant(a, "startsAt", at),
          ends.equals(NO_END) ? Optional.empty() : Optional.of(ends)));
    }
    return new Notification(line, root.path("receiver").asText(""), text(root, "status", where),
        strings(root.path("groupLabels")), result);
  }

  private static JsonNode read(String text, String what) {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException(what + ": not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + ": not JSON: " + e.getOriginalMessage());
    }
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(where + "." + field + ": missing or not a string");
    }
    return value.asText();
  }

  private static Instant instant(JsonNode node, String field, String where) {
    String text = text(node, field, where);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(where + "." + field + ": not a timestamp: " + text);
    }
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> map = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      map.put(e.getKey(), e.getValue().asText());
    }
    return map;
  }
}
