package io.pgha.lab.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.lab.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Patroni's REST API: the cluster view, role checks and switchover. */
public final class PatroniApi {
  private final Http http;

  public PatroniApi(Http http) {
    this.http = http;
  }

  /** One row of {@code GET /cluster}, Patroni's own view of a member. */
  public record MemberView(String name, String host, String role, String state, Long timeline,
      String lag) {
    public boolean leader() {
      return "leader".equals(role) || "standby_leader".equals(role);
    }
  }

  /** The cluster as one member sees it (asks the members in turn until one answers). */
  public Optional<List<MemberView>> cluster(Topology topology) {
    for (Topology.Member m : topology.members()) {
      Optional<JsonNode> json = http.getJson(m.restUrl() + "/cluster");
      if (json.isPresent()) {
        return Optional.of(parseCluster(json.get()));
      }
    }
    return Optional.empty();
  }

  public static List<MemberView> parseCluster(JsonNode cluster) {
    List<MemberView> out = new ArrayList<>();
    for (JsonNode m : cluster.path("members")) {
      JsonNode tl = m.path("timeline");
      JsonNode lag = m.path("lag");
      out.add(new MemberView(m.path("name").asText(), m.path("host").asText(),
          m.path("role").asText(), m.path("state").asText(),
          tl.isNumber() ? tl.asLong() : null,
          lag.isMissingNode() || lag.isNull() ? "" : lag.asText()));
    }
    return out;
  }

  /** True when this member answers 200 to Patroni's {@code /primary} health check. */
  public boolean isPrimary(Topology.Member member) {
    return http.options(member.restUrl() + "/primary").status() == 200;
  }

  /** True when this member answers 200 to {@code /replica} (running replica, may take reads). */
  public boolean isReplica(Topology.Member member) {
    return http.options(member.restUrl() + "/replica").status() == 200;
  }

  /**
   * {@code POST /switchover}; Patroni itself waits for the result before answering, so the
   * timeout is long.
   */
  public Http.Response switchover(Topology.Member via, String leader, String candidate,
      String basicAuth) {
    StringBuilder body = new StringBuilder("{\"leader\":\"").append(leader).append('"');
    if (candidate != null) {
      body.append(",\"candidate\":\"").append(candidate).append('"');
    }
    body.append('}');
    return http.postJson(via.restUrl() + "/switchover", body.toString(), basicAuth,
        Duration.ofSeconds(60));
  }
}
