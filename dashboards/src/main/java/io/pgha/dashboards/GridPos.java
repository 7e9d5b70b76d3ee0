package io.pgha.dashboards;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A panel's place on Grafana's 24-column grid. */
public record GridPos(int x, int y, int w, int h) {

  public static final int COLUMNS = 24;

  public GridPos {
    if (w < 1 || h < 1 || x < 0 || y < 0 || x + w > COLUMNS) {
      throw new IllegalArgumentException("panel outside the grid: x=" + x + " y=" + y + " w=" + w + " h=" + h);
    }
  }

  public boolean overlaps(GridPos other) {
    return x < other.x + other.w && other.x < x + w && y < other.y + other.h && other.y < y + h;
  }

  ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("h", h).put("w", w).put("x", x).put("y", y);
    return node;
  }

  static GridPos fromJson(com.fasterxml.jackson.databind.JsonNode node) {
    return new GridPos(node.path("x").asInt(), node.path("y").asInt(), node.path("w").asInt(), node.path("h").asInt());
  }
}
