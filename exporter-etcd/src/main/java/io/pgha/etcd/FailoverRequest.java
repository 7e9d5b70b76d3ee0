package io.pgha.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * What the scope's {@code failover} key asks for, as Patroni's REST API writes it
 * ({@code POST /switchover} or {@code /failover}): {@code {"leader": ..., "member": ...,
 * "scheduled_at": ...}}, each field optional. Patroni writes {@code {}} once the request is done.
 *
 * @param leader the member to switch over from (a switchover names it; a failover need not)
 * @param candidate the member to hand over to
 */
public record FailoverRequest(Optional<String> leader, Optional<String> candidate, Optional<String> scheduledAt) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The request in a value of the key; empty for no request ({@code {}}, garbage, or no key). */
  static Optional<FailoverRequest> parse(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    JsonNode node;
    try {
      node = JSON.readTree(value);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    FailoverRequest r = new FailoverRequest(text(node, "leader"), text(node, "member"), text(node, "scheduled_at"));
    return r.leader().isEmpty() && r.candidate().isEmpty() ? Optional.empty() : Optional.of(r);
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() && !v.asText().isBlank() ? Optional.of(v.asText()) : Optional.empty();
  }

  /** What this request makes of the loss of {@code oldLeader}'s key, if it explains it. */
  Optional<LeaderEvent.Kind> explains(String oldLeader) {
    if (leader.isPresent()) {
      return leader.get().equals(oldLeader) ? Optional.of(LeaderEvent.Kind.SWITCHOVER) : Optional.empty();
    }
    return candidate.map(c -> LeaderEvent.Kind.FAILOVER);
  }
}
