package io.pgha.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Patroni's state of one scope in the DCS, parsed from the keys under {@code <namespace><scope>/}
 * (key names relative to that prefix, values as stored). A value that is not the JSON Patroni
 * writes leaves its field empty rather than failing the scope.
 *
 * @param members the names under {@code members/}, sorted
 * @param syncStandbys the members named as synchronous standbys in {@code sync}
 * @param failsafeMembers how many members the leader last wrote to {@code failsafe}, if the key exists
 * @param historyEntries how many promotions {@code history} records, if it exists and parses
 */
public record DcsState(
    List<String> members,
    boolean initialized,
    Optional<Boolean> failsafeMode,
    Optional<Boolean> synchronousMode,
    Optional<Integer> failsafeMembers,
    List<String> syncStandbys,
    Optional<Integer> historyEntries) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public DcsState {
    members = List.copyOf(members);
    syncStandbys = List.copyOf(syncStandbys);
  }

  public static DcsState parse(Map<String, String> keys) {
    TreeSet<String> members = new TreeSet<>();
    for (String k : keys.keySet()) {
      if (k.startsWith("members/") && k.length() > "members/".length() && k.indexOf('/', "members/".length()) < 0) {
        members.add(k.substring("members/".length()));
      }
    }
    Optional<JsonNode> config = json(keys.get("config")).filter(JsonNode::isObject);
    Optional<Integer> failsafe = json(keys.get("failsafe")).filter(JsonNode::isObject).map(JsonNode::size);
    Optional<Integer> history = json(keys.get("history")).filter(JsonNode::isArray).map(JsonNode::size);
    return new DcsState(List.copyOf(members), keys.containsKey("initialize"),
        config.map(c -> c.path("failsafe_mode").asBoolean(false)),
        config.map(c -> c.path("synchronous_mode").asBoolean(false)),
        failsafe, syncStandbys(keys.get("sync")), history);
  }

  /**
   * One entry of the {@code history} key, {@code [timeline, switch_lsn, reason, timestamp, new_leader]}:
   * a promotion that ended {@code timeline} at {@code switchLsn} and started the next one.
   *
   * @param promotedAtMillis the timestamp Patroni wrote, -1 when the entry has none
   */
  public record HistoryLine(long timeline, long switchLsn, long promotedAtMillis, Optional<String> newLeader) {}

  /** The entries of a {@code history} value; entries that do not read are skipped, garbage is no entry. */
  static List<HistoryLine> history(String value) {
    Optional<JsonNode> root = json(value).filter(JsonNode::isArray);
    if (root.isEmpty()) {
      return List.of();
    }
    List<HistoryLine> lines = new ArrayList<>();
    for (JsonNode line : root.get()) {
      if (!line.isArray() || line.size() < 2 || !line.get(0).isIntegralNumber() || !line.get(1).isIntegralNumber()) {
        continue;
      }
      long at = -1;
      if (line.size() > 3 && line.get(3).isTextual()) {
        try {
          at = OffsetDateTime.parse(line.get(3).asText()).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
          at = -1;
        }
      }
      Optional<String> leader = line.size() > 4 && line.get(4).isTextual() && !line.get(4).asText().isBlank()
          ? Optional.of(line.get(4).asText()) : Optional.empty();
      lines.add(new HistoryLine(line.get(0).asLong(), line.get(1).asLong(), at, leader));
    }
    return lines;
  }

  /** The leader's WAL position in a {@code status} value ({@code {"optime": ...}}). */
  static OptionalLong optime(String status) {
    return number(status, "optime");
  }

  /** A member's last reported WAL position ({@code xlog_location} of its member key). */
  static OptionalLong xlogLocation(String member) {
    return number(member, "xlog_location");
  }

  /** Patroni's {@code ttl}, in seconds, from the {@code config} key (the TTL of the members' leases). */
  static OptionalLong ttlSeconds(String config) {
    return number(config, "ttl");
  }

  private static OptionalLong number(String value, String field) {
    Optional<JsonNode> n = json(value).filter(JsonNode::isObject).map(o -> o.get(field))
        .filter(JsonNode::isIntegralNumber);
    return n.isPresent() ? OptionalLong.of(n.get().asLong()) : OptionalLong.empty();
  }

  /** Patroni 3.0 writes one name; later versions a comma-separated list. */
  static List<String> syncStandbys(String value) {
    Optional<JsonNode> sync = json(value).filter(JsonNode::isObject);
    if (sync.isEmpty() || !sync.get().path("sync_standby").isTextual()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (String name : sync.get().path("sync_standby").asText().split(",")) {
      if (!name.isBlank()) {
        names.add(name.strip());
      }
    }
    return names;
  }

  private static Optional<JsonNode> json(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(JSON.readTree(value));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
