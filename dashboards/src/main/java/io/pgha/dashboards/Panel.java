package io.pgha.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Grafana visualisation panel. The kinds pgha uses each get a factory with sensible options; the
 * unit and description are mandatory because a number without them is a guess for whoever reads it.
 */
public final class Panel {

  /** The panel plugins pgha's dashboards use (all built into Grafana). */
  public enum Kind {
    TIMESERIES("timeseries"), STAT("stat"), TABLE("table"), STATE_TIMELINE("state-timeline");

    final String pluginId;

    Kind(String pluginId) {
      this.pluginId = pluginId;
    }
  }

  /** A threshold step: from {@code from} upwards (null for the base step) the value takes {@code color}. */
  public record Step(Double from, String color) {}

  /** A value mapping: {@code value} shows as {@code text} in {@code color}. */
  public record Mapping(String value, String text, String color) {}

  private final Kind kind;
  private final String title;
  private String description;
  private String unit;
  private Integer decimals;
  private Double min;
  private Double max;
  private final List<Query> queries = new ArrayList<>();
  private final List<Step> steps = new ArrayList<>();
  private final List<Mapping> mappings = new ArrayList<>();
  private final ArrayNode overrides = Json.array();
  private final ArrayNode transformations = Json.array();
  private final ObjectNode options;
  private final ObjectNode custom;

  private Panel(Kind kind, String title) {
    this.kind = kind;
    this.title = Objects.requireNonNull(title);
    this.options = defaultOptions(kind);
    this.custom = defaultCustom(kind);
  }

  public static Panel timeseries(String title) {
    return new Panel(Kind.TIMESERIES, title);
  }

  public static Panel stat(String title) {
    return new Panel(Kind.STAT, title);
  }

  public static Panel table(String title) {
    return new Panel(Kind.TABLE, title);
  }

  public static Panel stateTimeline(String title) {
    return new Panel(Kind.STATE_TIMELINE, title);
  }

  public Panel description(String text) {
    this.description = text;
    return this;
  }

  /** A Grafana unit id: {@code bytes}, {@code s}, {@code Bps}, {@code percentunit}, {@code short}, {@code none}... */
  public Panel unit(String unitId) {
    this.unit = unitId;
    return this;
  }

  public Panel decimals(int value) {
    this.decimals = value;
    return this;
  }

  public Panel min(double value) {
    this.min = value;
    return this;
  }

  public Panel max(double value) {
    this.max = value;
    return this;
  }

  public Panel query(Query query) {
    queries.add(query);
    return this;
  }

  /** Threshold colours; the first step is the base (applies below the second step's value). */
  public Panel thresholds(Step... stepsInOrder) {
    steps.clear();
    steps.addAll(List.of(stepsInOrder));
    return this;
  }

  public Panel mapping(String value, String text, String color) {
    mappings.add(new Mapping(value, text, color));
    return this;
  }

  /** Colours the stat's background from the thresholds instead of drawing a sparkline. */
  public Panel colorBackground() {
    options.put("colorMode", "background");
    return this;
  }

  /** A stat that shows the series' legend (e.g. the leader's name) rather than its value. */
  public Panel showName() {
    options.put("textMode", "name");
    return this;
  }

  /** Stacks the series of a graph (parts of one whole, like connections by state). */
  public Panel stacked() {
    custom.putObject("stacking").put("group", "A").put("mode", "normal");
    custom.put("fillOpacity", 30);
    return this;
  }

  /** Draws a graph as bars (counts of discrete events per interval). */
  public Panel bars() {
    custom.put("drawStyle", "bars");
    custom.put("fillOpacity", 80);
    return this;
  }

  /** Overrides one property of the fields whose name matches exactly (e.g. a table column). */
  public Panel override(String fieldName, String property, Object value) {
    ObjectNode override = overrides.addObject();
    override.putObject("matcher").put("id", "byName").put("options", fieldName);
    ObjectNode prop = override.putArray("properties").addObject();
    prop.put("id", property);
    prop.set("value", Json.MAPPER.valueToTree(value));
    return this;
  }

  /** Appends a Grafana transformation (id and options as Grafana stores them). */
  public Panel transformation(String id, JsonNode transformationOptions) {
    ObjectNode t = transformations.addObject();
    t.put("id", id);
    t.set("options", transformationOptions);
    return this;
  }

  public String title() {
    return title;
  }

  List<Query> queries() {
    return List.copyOf(queries);
  }

  ObjectNode toJson(int id, GridPos pos) {
    if (description == null || description.isBlank()) {
      throw new IllegalStateException("panel '" + title + "' has no description");
    }
    if (unit == null || unit.isBlank()) {
      throw new IllegalStateException("panel '" + title + "' has no unit");
    }
    if (queries.isEmpty()) {
      throw new IllegalStateException("panel '" + title + "' has no query");
    }
    ObjectNode node = Json.object();
    node.set("datasource", Json.prometheusDatasource());
    node.put("description", description);
    node.set("fieldConfig", fieldConfig());
    node.set("gridPos", pos.toJson());
    node.put("id", id);
    node.set("options", options.deepCopy());
    ArrayNode targets = node.putArray("targets");
    for (int i = 0; i < queries.size(); i++) {
      targets.add(queries.get(i).toJson(String.valueOf((char) ('A' + i))));
    }
    node.put("title", title);
    if (!transformations.isEmpty()) {
      node.set("transformations", transformations.deepCopy());
    }
    node.put("type", kind.pluginId);
    return node;
  }

  private ObjectNode fieldConfig() {
    ObjectNode fieldConfig = Json.object();
    ObjectNode defaults = fieldConfig.putObject("defaults");
    defaults.putObject("color").put("mode", kind == Kind.TIMESERIES ? "palette-classic" : "thresholds");
    defaults.set("custom", custom.deepCopy());
    if (decimals != null) {
      defaults.put("decimals", decimals);
    }
    ArrayNode mappingsJson = defaults.putArray("mappings");
    if (!mappings.isEmpty()) {
      ObjectNode valueMap = mappingsJson.addObject();
      valueMap.put("type", "value");
      ObjectNode byValue = valueMap.putObject("options");
      int index = 0;
      for (Mapping m : mappings) {
        byValue.putObject(m.value()).put("color", m.color()).put("index", index++).put("text", m.text());
      }
    }
    if (max != null) {
      defaults.put("max", max);
    }
    if (min != null) {
      defaults.put("min", min);
    }
    ObjectNode thresholds = defaults.putObject("thresholds");
    thresholds.put("mode", "absolute");
    ArrayNode stepsJson = thresholds.putArray("steps");
    List<Step> effective = steps.isEmpty() ? List.of(new Step(null, "green")) : steps;
    for (Step s : effective) {
      ObjectNode step = stepsJson.addObject();
      step.put("color", s.color());
      if (s.from() == null) {
        step.putNull("value");
      } else {
        step.put("value", s.from());
      }
    }
    defaults.put("unit", unit);
    fieldConfig.set("overrides", overrides.deepCopy());
    return fieldConfig;
  }

  private static ObjectNode defaultOptions(Kind kind) {
    ObjectNode o = Json.object();
    switch (kind) {
      case TIMESERIES -> {
        ObjectNode legend = o.putObject("legend");
        legend.putArray("calcs").add("lastNotNull").add("max");
        legend.put("displayMode", "table").put("placement", "bottom").put("showLegend", true);
        o.putObject("tooltip").put("mode", "multi").put("sort", "desc");
      }
      case STAT -> {
        o.put("colorMode", "value").put("graphMode", "none").put("justifyMode", "auto")
            .put("orientation", "auto");
        ObjectNode reduce = o.putObject("reduceOptions");
        reduce.putArray("calcs").add("lastNotNull");
        reduce.put("fields", "").put("values", false);
        o.put("textMode", "auto");
      }
      case TABLE -> {
        o.put("cellHeight", "sm").put("showHeader", true);
        o.putObject("footer").put("show", false);
      }
      case STATE_TIMELINE -> {
        o.put("alignValue", "center");
        o.putObject("legend").put("displayMode", "list").put("placement", "bottom").put("showLegend", true);
        o.put("mergeValues", true).put("rowHeight", 0.9).put("showValue", "auto");
        o.putObject("tooltip").put("mode", "single").put("sort", "none");
      }
      default -> throw new IllegalArgumentException(kind.name());
    }
    return o;
  }

  private static ObjectNode defaultCustom(Kind kind) {
    ObjectNode c = Json.object();
    switch (kind) {
      case TIMESERIES -> c.put("drawStyle", "line").put("fillOpacity", 10).put("lineWidth", 1)
          .put("showPoints", "never").put("spanNulls", false);
      case TABLE -> {
        c.put("align", "auto");
        c.putObject("cellOptions").put("type", "auto");
      }
      case STATE_TIMELINE -> c.put("fillOpacity", 80).put("lineWidth", 0);
      default -> { }
    }
    return c;
  }
}
