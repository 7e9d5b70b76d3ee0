package io.pgha.lab.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.lab.topology.Topology;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** etcd's HTTP endpoints: {@code /health} and the v3 JSON gateway (status, member list). */
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
