package io.pgha.dashboards;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Grafana dashboard under construction. Panels flow left to right in rows of the 24-column grid, so
 * definitions give only widths and heights and cannot overlap by accident; ids are assigned in order.
 */
public final class Dashboard {

  /** Grafana's dashboard JSON model version this builder writes (Grafana 10.4 and later read it). */
  static final int SCHEMA_VERSION = 39;

  private final String uid;
  private final String title;
  private final String fileName;
  private String description = "";
  private final List<String> tags = new ArrayList<>(List.of("pgha"));
  private final List<Variable> variables = new ArrayList<>();
  private final List<Annotation> annotations = new ArrayList<>();
  private final ArrayNode panels = Json.array();
  private int nextId = 1;
  private int cursorX;
  private int cursorY;
  private int lineHeight;

  private Dashboard(String uid, String title, String fileName) {
    this.uid = Objects.requireNonNull(uid);
    this.title = Objects.requireNonNull(title);
    this.fileName = Objects.requireNonNull(fileName);
  }

  /**
   * @param uid stable across releases: links and bookmarks use it (at most 40 characters)
   * @param fileName the committed file under {@code dashboards/json/}
   */
  public static Dashboard create(String uid, String title, String fileName) {
    if (uid.length() > 40 || !uid.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("uid must be 1-40 characters of [a-z0-9-]: " + uid);
    }
    return new Dashboard(uid, title, fileName);
  }

  public Dashboard description(String text) {
    this.description = text;
    return this;
  }

  public Dashboard tag(String tag) {
    tags.add(tag);
    return this;
  }

  public Dashboard variable(Variable variable) {
    variables.add(variable);
    return this;
  }

  public Dashboard annotation(Annotation annotation) {
    annotations.add(annotation);
    return this;
  }

  /** Starts a new titled row below everything placed so far. */
  public Dashboard row(String rowTitle) {
    newLine();
    ObjectNode row = panels.addObject();
    row.put("collapsed", false);
    row.set("gridPos", new GridPos(0, cursorY, GridPos.COLUMNS, 1).toJson());
    row.put("id", nextId++);
    row.putArray("panels");
    row.put("title", rowTitle);
    row.put("type", "row");
    cursorY += 1;
    return this;
  }

  /** Places a panel right of the previous one, or on a new line when it does not fit. */
  public Dashboard add(Panel panel, int width, int height) {
    if (cursorX + width > GridPos.COLUMNS) {
      newLine();
    }
    panels.add(panel.toJson(nextId++, new GridPos(cursorX, cursorY, width, height)));
    cursorX += width;
    lineHeight = Math.max(lineHeight, height);
    return this;
  }

  private void newLine() {
    cursorY += lineHeight;
    cursorX = 0;
    lineHeight = 0;
  }

  public String uid() {
    return uid;
  }

  public String title() {
    return title;
  }

  public String fileName() {
    return fileName;
  }

  public ObjectNode toJson() {
    ObjectNode d = Json.object();
    ObjectNode annotationsJson = d.putObject("annotations");
    ArrayNode list = annotationsJson.putArray("list");
    list.add(Annotation.builtIn());
    annotations.forEach(a -> list.add(a.toJson()));
    d.put("description", description);
    d.put("editable", true);
    d.put("fiscalYearStartMonth", 0);
    d.put("graphTooltip", 1);
    d.putNull("id");
    ObjectNode link = d.putArray("links").addObject();
    link.put("asDropdown", true);
    link.put("icon", "external link");
    link.put("includeVars", true);
    link.put("keepTime", true);
    link.putArray("tags").add("pgha");
    link.put("targetBlank", false);
    link.put("title", "pgha dashboards");
    link.put("tooltip", "");
    link.put("type", "dashboards");
    link.put("url", "");
    d.set("panels", panels.deepCopy());
    d.put("refresh", "30s");
    d.put("schemaVersion", SCHEMA_VERSION);
    ArrayNode tagsJson = d.putArray("tags");
    tags.forEach(tagsJson::add);
    ArrayNode vars = d.putObject("templating").putArray("list");
    variables.forEach(v -> vars.add(v.toJson()));
    d.putObject("time").put("from", "now-1h").put("to", "now");
    d.putObject("timepicker");
    d.put("timezone", "browser");
    d.put("title", title);
    d.put("uid", uid);
    d.put("version", 1);
    d.put("weekStart", "");
    return d;
  }
}
