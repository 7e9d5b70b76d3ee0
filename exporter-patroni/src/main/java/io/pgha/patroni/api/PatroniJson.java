package io.pgha.patroni.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns the JSON of Patroni's REST API into records. Unknown fields are ignored; a known field of
 * the wrong type, or a document of another shape, is an {@link UnexpectedResponseException} that
 * names the endpoint and the field.
 */
public final class PatroniJson {
  private PatroniJson() {}

  public static PatroniCluster cluster(JsonNode root) {
    Fields doc = new Fields("/cluster", "", object(root, "/cluster", "the document"));
    JsonNode members = doc.required("members");
    if (!members.isArray()) {
      throw doc.wrong("members", "not a list");
    }
    List<PatroniCluster.Member> result = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      Fields m = new Fields("/cluster", "members[" + i + "].", object(members.get(i), "/cluster", "members[" + i + "]"));
      result.add(new PatroniCluster.Member(
          m.requiredText("name"),
          m.text("host"),
          m.requiredText("role"),
          m.text("state").orElse(""),
          m.text("api_url").map(url -> httpUrl(url, m, "api_url")),
          m.integer("timeline"),
          lag(m),
          m.bool("pending_restart"),
          tags(m)));
    }
    JsonNode switchover = doc.node.get("scheduled_switchover");
    boolean scheduled = switchover != null && !switchover.isNull();
    return new PatroniCluster(result, doc.bool("pause"), scheduled, doc.text("scope"));
  }

  public static PatroniStatus status(JsonNode root) {
    Fields doc = new Fields("/patroni", "", object(root, "/patroni", "the document"));
    JsonNode patroni = doc.node.get("patroni");
    Fields about = patroni == null || patroni.isNull() ? null
        : new Fields("/patroni", "patroni.", object(patroni, "/patroni", "patroni"));
    return new PatroniStatus(
        doc.requiredText("state"),
        doc.requiredText("role"),
        doc.integer("timeline"),
        doc.bool("pending_restart"),
        doc.bool("pause"),
        doc.bool("cluster_unlocked"),
        doc.bool("failsafe_mode_is_active"),
        about == null ? Optional.empty() : about.text("scope"),
        about == null ? Optional.empty() : about.text("name"),
        about == null ? Optional.empty() : about.text("version"),
        walPosition(doc),
        doc.integer("dcs_last_seen"),
        tags(doc),
        doc.bool("watchdog_failed"));
  }

  /**
   * {@code GET /config}: the dynamic configuration, with Patroni's defaults for what it does not
   * set. Integers may come as numbers or numeric strings (Patroni accepts both in its YAML).
   */
  public static PatroniDynamicConfig config(JsonNode root) {
    Fields doc = new Fields("/config", "", object(root, "/config", "the document"));
    boolean strict = doc.flag("synchronous_mode_strict");
    return new PatroniDynamicConfig(
        doc.count("ttl").orElse(PatroniDynamicConfig.DEFAULT_TTL),
        doc.count("loop_wait").orElse(PatroniDynamicConfig.DEFAULT_LOOP_WAIT),
        doc.count("maximum_lag_on_failover").orElse(PatroniDynamicConfig.DEFAULT_MAXIMUM_LAG_ON_FAILOVER),
        synchronousMode(doc, strict),
        doc.flag("check_timeline"));
  }

  private static PatroniDynamicConfig.SynchronousMode synchronousMode(Fields doc, boolean strict) {
    JsonNode mode = doc.node.get("synchronous_mode");
    boolean on;
    if (mode == null || mode.isNull()) {
      on = false;
    } else if (mode.isTextual() && mode.asText().equalsIgnoreCase("quorum")) {
      return PatroniDynamicConfig.SynchronousMode.QUORUM;
    } else {
      on = doc.flag("synchronous_mode");
    }
    if (!on) {
      return PatroniDynamicConfig.SynchronousMode.OFF;
    }
    return strict ? PatroniDynamicConfig.SynchronousMode.STRICT : PatroniDynamicConfig.SynchronousMode.ON;
  }

  /** As {@code _MemberStatus.from_api_response} in patroni/ha.py reads {@code wal} (or {@code xlog}). */
  private static Optional<Long> walPosition(Fields doc) {
    JsonNode wal = doc.node.get("wal");
    String key = "wal";
    if (wal == null || wal.isNull() || (wal.isObject() && wal.isEmpty())) {
      wal = doc.node.get("xlog");
      key = "xlog";
    }
    if (wal == null || wal.isNull()) {
      return Optional.empty();
    }
    Fields w = new Fields(doc.endpoint, key + ".", object(wal, doc.endpoint, key));
    Optional<Long> location = w.integer("location");
    if (location.isPresent() && location.get() > 0) {
      return location;
    }
    long received = w.integer("received_location").orElse(0L);
    long replayed = w.integer("replayed_location").orElse(0L);
    return Optional.of(Math.max(received, replayed));
  }

  private static MemberTags tags(Fields owner) {
    JsonNode tags = owner.node.get("tags");
    if (tags == null || tags.isNull()) {
      return MemberTags.NONE;
    }
    Fields t = new Fields(owner.endpoint, owner.prefix + "tags.", object(tags, owner.endpoint, owner.prefix + "tags"));
    JsonNode nofailover = t.node.get("nofailover");
    return new MemberTags(
        nofailover == null || nofailover.isNull() ? Optional.empty() : Optional.of(t.flag("nofailover")),
        t.count("failover_priority"),
        t.flag("nosync"));
  }

  public static List<HistoryEntry> history(JsonNode root) {
    if (root == null || !root.isArray()) {
      throw new UnexpectedResponseException("/history: not a list");
    }
    List<HistoryEntry> entries = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) {
      entries.add(historyLine(root.get(i), i));
    }
    return entries;
  }

  /**
   * {@code /history} read line by line from {@code parser} (which needs an ObjectMapper as its
   * codec): only one line is in memory at a time, however long the history has grown.
   */
  public static void history(JsonParser parser, Consumer<HistoryEntry> each) throws IOException {
    if (parser.nextToken() != JsonToken.START_ARRAY) {
      throw new UnexpectedResponseException("/history: not a list");
    }
    int i = 0;
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      if (token == null) {
        throw new UnexpectedResponseException("/history: the list ends early");
      }
      each.accept(historyLine(parser.readValueAsTree(), i++));
    }
  }

  private static HistoryEntry historyLine(JsonNode line, int i) {
    String where = "/history: [" + i + "]";
    if (!line.isArray() || line.size() < 3) {
      throw new UnexpectedResponseException(where + ": not a list of at least [timeline, lsn, reason]");
    }
    if (!line.get(0).canConvertToLong() || !line.get(0).isIntegralNumber()
        || !line.get(1).canConvertToLong() || !line.get(1).isIntegralNumber()) {
      throw new UnexpectedResponseException(where + ": timeline and lsn must be integers");
    }
    Optional<Instant> at = Optional.empty();
    if (line.size() > 3 && !line.get(3).isNull()) {
      try {
        at = Optional.of(OffsetDateTime.parse(line.get(3).asText()).toInstant());
      } catch (DateTimeParseException e) {
        throw new UnexpectedResponseException(where + "[3]: not an ISO 8601 timestamp with offset");
      }
    }
    Optional<String> leader = line.size() > 4 && line.get(4).isTextual() && !line.get(4).asText().isEmpty()
        ? Optional.of(line.get(4).asText()) : Optional.empty();
    return new HistoryEntry(line.get(0).asLong(), line.get(1).asLong(), line.get(2).asText(), at, leader);
  }

  private static Optional<Long> lag(Fields m) {
    JsonNode lag = m.node.get("lag");
    if (lag == null || lag.isNull() || (lag.isTextual() && lag.asText().equals("unknown"))) {
      return Optional.empty();
    }
    if (!lag.isIntegralNumber() || !lag.canConvertToLong()) {
      throw m.wrong("lag", "not a number of bytes or \"unknown\"");
    }
    return Optional.of(lag.asLong());
  }

  private static URI httpUrl(String text, Fields m, String key) {
    try {
      URI uri = new URI(text);
      if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw m.wrong(key, "not an http(s) URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw m.wrong(key, "not a URL");
    }
  }

  private static JsonNode object(JsonNode node, String endpoint, String what) {
    if (node == null || !node.isObject()) {
      throw new UnexpectedResponseException(endpoint + ": " + what + " is not a JSON object");
    }
    return node;
  }

  /** The fields of one JSON object, with errors that say where they are. */
  private record Fields(String endpoint, String prefix, JsonNode node) {
    JsonNode required(String key) {
      JsonNode value = node.get(key);
      if (value == null || value.isNull()) {
        throw wrong(key, "missing");
      }
      return value;
    }

    String requiredText(String key) {
      JsonNode value = required(key);
      if (!value.isTextual()) {
        throw wrong(key, "not a string");
      }
      return value.asText();
    }

    Optional<String> text(String key) {
      JsonNode value = node.get(key);
      if (value == null || value.isNull()) {
        return Optional.empty();
      }
      if (!value.isTextual()) {
        throw wrong(key, "not a string");
      }
      return Optional.of(value.asText());
    }

    Optional<Long> integer(String key) {
      JsonNode value = node.get(key);
      if (value == null || value.isNull()) {
        return Optional.empty();
      }
      if (!value.isIntegralNumber() || !value.canConvertToLong()) {
        throw wrong(key, "not an integer");
      }
      return Optional.of(value.asLong());
    }

    boolean bool(String key) {
      JsonNode value = node.get(key);
      if (value == null || value.isNull()) {
        return false;
      }
      if (!value.isBoolean()) {
        throw wrong(key, "not true or false");
      }
      return value.asBoolean();
    }

    /** An integer given as a number or as a string of digits (as Patroni's parse_int reads it). */
    Optional<Long> count(String key) {
      JsonNode value = node.get(key);
      if (value != null && value.isTextual()) {
        try {
          return Optional.of(Long.parseLong(value.asText().strip()));
        } catch (NumberFormatException e) {
          throw wrong(key, "not an integer");
        }
      }
      return integer(key);
    }

    /** A boolean given as true/false or as a string Patroni's YAML reads as one (on, off, yes, no). */
    boolean flag(String key) {
      JsonNode value = node.get(key);
      if (value != null && value.isTextual()) {
        switch (value.asText().strip().toLowerCase(java.util.Locale.ROOT)) {
          case "true", "on", "yes", "1":
            return true;
          case "false", "off", "no", "0", "":
            return false;
          default:
            throw wrong(key, "not true or false");
        }
      }
      return bool(key);
    }

    UnexpectedResponseException wrong(String key, String problem) {
      return new UnexpectedResponseException(endpoint + ": " + prefix + key + ": " + problem);
    }
  }
}
