package io.pgha.lab.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.lab.topology.Topology;
import io.pgha.patroni.api.HistoryEntry;
import io.pgha.patroni.api.PatroniCluster;
import io.pgha.patroni.api.PatroniJson;
import io.pgha.patroni.api.UnexpectedResponseException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Patroni's REST API: the cluster view, role checks, the dynamic configuration, the history and the
 * switchover. The JSON is read by exporter-patroni's model ({@link PatroniJson}), the one reading of
 * Patroni's answers in pgha.
 */
public final class PatroniApi {
  private final Http http;

  public PatroniApi(Http http) {
    this.http = http;
  }

  /**
   * The cluster as one member sees it (asks the members in turn until one answers with a
   * {@code /cluster} document).
   */
  public Optional<PatroniCluster> cluster(Topology topology) {
    return firstAnswer(topology, "/cluster", PatroniJson::cluster);
  }

  /** The members as {@link #cluster} reports them. */
  public Optional<List<PatroniCluster.Member>> members(Topology topology) {
    return cluster(topology).map(PatroniCluster::members);
  }

  /** The one leader in state running, per {@code /cluster}; empty when there is none or several. */
  public Optional<String> runningLeader(Topology topology) {
    return members(topology).flatMap(ms -> {
      List<PatroniCluster.Member> leaders = ms.stream()
          .filter(m -> m.leader() && "running".equals(m.state())).toList();
      return leaders.size() == 1 ? Optional.of(leaders.get(0).name()) : Optional.empty();
    });
  }

  /** {@code GET /history} of the first member that answers; empty when none does. */
  public List<HistoryEntry> history(Topology topology) {
    return firstAnswer(topology, "/history", PatroniJson::history).orElse(List.of());
  }

  /** Patroni's dynamic configuration ({@code GET /config} of the first member that answers). */
  public Optional<JsonNode> config(Topology topology) {
    return firstAnswer(topology, "/config", json -> {
      if (!json.isObject()) {
        throw new UnexpectedResponseException("/config: not a JSON object");
      }
      return json;
    });
  }

  /**
   * {@code PATCH /config} with basic auth ({@code user:password}), through the first member that
   * takes it; fails with what the last member answered.
   */
  public void patchConfig(Topology topology, String json, String basicAuth) {
    String last = "no member answered";
    for (Topology.Member m : topology.members()) {
      Http.Response r = http.patchJson(m.restUrl() + "/config", json, basicAuth, Duration.ofSeconds(10));
      if (r.ok()) {
        return;
      }
      last = m.name() + " answered " + r.status() + ": " + r.body().strip();
    }
    throw new IllegalStateException("PATCH /config " + json + " failed (" + last + ")");
  }

  /** {@code POST /reload} on one member: it reads its configuration file again. */
  public void reload(Topology.Member member, String basicAuth) {
    Http.Response r = http.postJson(member.restUrl() + "/reload", "{}", basicAuth, Duration.ofSeconds(10));
    if (!r.ok()) {
      throw new IllegalStateException("POST /reload on " + member.name() + ": " + r.status() + " " + r.body().strip());
    }
  }

  /**
   * {@code POST /restart} on one member: Patroni restarts its PostgreSQL and answers when done
   * (or failed), so the timeout is long. Returns the answer (503 "restart failed" is one).
   */
  public Http.Response restart(Topology.Member member, String basicAuth) {
    return http.postJson(member.restUrl() + "/restart", "{}", basicAuth, Duration.ofSeconds(60));
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

  /**
   * {@code POST /failover} naming only a candidate: a manual failover, which Patroni carries out also
   * while the leader runs (its {@code failover} key then names no leader). Answers once done or failed.
   */
  public Http.Response failover(Topology.Member via, String candidate, String basicAuth) {
    return http.postJson(via.restUrl() + "/failover", "{\"candidate\":\"" + candidate + "\"}", basicAuth,
        Duration.ofSeconds(60));
  }

  /** The first member's answer on {@code path} that reads; a member answering garbage counts as silent. */
  private <T> Optional<T> firstAnswer(Topology topology, String path, Function<JsonNode, T> read) {
    for (Topology.Member m : topology.members()) {
      Optional<JsonNode> json = http.getJson(m.restUrl() + path);
      if (json.isPresent()) {
        try {
          return Optional.of(read.apply(json.get()));
        } catch (UnexpectedResponseException e) {
          // another member may answer properly
        }
      }
    }
    return Optional.empty();
  }
}
