package io.pgha.lab.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.lab.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * etcd's HTTP endpoints: {@code /health} and the v3 JSON gateway (status, member list, key range,
 * put and delete, leadership transfer).
 */
public final class EtcdApi {
  private final Http http;

  public EtcdApi(Http http) {
    this.http = http;
  }

  /** {@code /health} answers 200 with health "true" only when the member sees a quorum. */
  public boolean healthy(Topology.EtcdMember member) {
    Http.Response r = http.get(member.clientUrl() + "/health");
    return r.status() == 200 && "true".equals(r.json().path("health").asText());
  }

  /** Name of the raft leader as this member sees it. */
  public Optional<String> leaderName(Topology.EtcdMember member) {
    Http.Response status = http.postJson(member.clientUrl() + "/v3/maintenance/status", "{}");
    if (!status.ok()) {
      return Optional.empty();
    }
    String leaderId = status.json().path("leader").asText("");
    if (leaderId.isEmpty() || "0".equals(leaderId)) {
      return Optional.empty();
    }
    return Optional.ofNullable(memberNames(member).get(leaderId));
  }

  /** The raft leader's name as the first member that knows one sees it. */
  public Optional<String> leaderName(List<Topology.EtcdMember> members) {
    for (Topology.EtcdMember e : members) {
      Optional<String> leader = leaderName(e);
      if (leader.isPresent()) {
        return leader;
      }
    }
    return Optional.empty();
  }

  /**
   * {@code POST /v3/kv/range} of one key on one member: the gateway's answer, empty when the member
   * does not answer. A serializable read is answered from the member's own copy, also without quorum.
   */
  public Optional<JsonNode> range(Topology.EtcdMember member, String key, boolean serializable) {
    String body = "{\"key\":\"" + base64(key) + "\"" + (serializable ? ",\"serializable\":true" : "") + "}";
    Http.Response r = http.postJson(member.clientUrl() + "/v3/kv/range", body);
    return r.ok() ? Optional.of(r.json()) : Optional.empty();
  }

  /** {@code POST /v3/kv/put}: writes {@code value} under {@code key} through {@code member}. */
  public void put(Topology.EtcdMember member, String key, byte[] value) {
    Http.Response r = http.postJson(member.clientUrl() + "/v3/kv/put", "{\"key\":\"" + base64(key)
        + "\",\"value\":\"" + Base64.getEncoder().encodeToString(value) + "\"}");
    if (!r.ok()) {
      throw new IllegalStateException("etcd " + member.name() + " refused to put " + key + ": " + r.status() + " "
          + r.body().strip());
    }
  }

  /** {@code POST /v3/kv/deleterange} of every key starting with {@code prefix}; how many were deleted. */
  public long deletePrefix(Topology.EtcdMember member, String prefix) {
    byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
    end[end.length - 1]++;
    Http.Response r = http.postJson(member.clientUrl() + "/v3/kv/deleterange", "{\"key\":\"" + base64(prefix)
        + "\",\"range_end\":\"" + Base64.getEncoder().encodeToString(end) + "\"}");
    if (!r.ok()) {
      throw new IllegalStateException("etcd " + member.name() + " refused to delete " + prefix + "*: " + r.status()
          + " " + r.body().strip());
    }
    return r.json().path("deleted").asLong(0);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The value of the first key of a {@link #range} answer; null when there is no such key. */
  public static String value(JsonNode range) {
    JsonNode kvs = range.path("kvs");
    if (!kvs.isArray() || kvs.isEmpty()) {
      return null;
    }
    String value = kvs.get(0).path("value").asText("");
    return value.isEmpty() ? null : new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }

  /** The mod revision of the first key of a {@link #range} answer; -1 when there is no such key. */
  public static long modRevision(JsonNode range) {
    JsonNode kvs = range.path("kvs");
    return kvs.isArray() && !kvs.isEmpty() ? kvs.get(0).path("mod_revision").asLong(-1) : -1;
  }

  /**
   * Moves the Raft leadership from {@code leader} (which must be the leader) to the member named
   * {@code target}: a real election, without stopping anything ({@code etcdctl move-leader}).
   */
  public void moveLeader(Topology.EtcdMember leader, String target) {
    String id = memberNames(leader).entrySet().stream().filter(e -> e.getValue().equals(target))
        .map(Map.Entry::getKey).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("etcd has no member " + target));
    Http.Response r = http.postJson(leader.clientUrl() + "/v3/maintenance/transfer-leadership",
        "{\"targetID\":\"" + id + "\"}");
    if (!r.ok()) {
      throw new IllegalStateException("moving etcd's leadership from " + leader.name() + " to " + target + " failed: "
          + r.status() + " " + r.body().strip());
    }
  }

  /** Member id (decimal, as the gateway prints uint64) to name. */
  public Map<String, String> memberNames(Topology.EtcdMember member) {
    Map<String, String> names = new HashMap<>();
    Http.Response list = http.postJson(member.clientUrl() + "/v3/cluster/member/list", "{}");
    if (list.ok()) {
      for (JsonNode m : list.json().path("members")) {
        names.put(m.path("ID").asText(), m.path("name").asText());
      }
    }
    return names;
  }
}
