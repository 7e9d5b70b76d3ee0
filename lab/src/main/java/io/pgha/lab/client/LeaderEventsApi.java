package io.pgha.lab.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * exporter-etcd's {@code GET /events}: the leader changes its watch saw, newest first, and those it
 * rebuilt from Patroni's {@code history} when it started (marked {@code rebuilt}). What
 * {@code pgha events}, the drills and the tests read.
 */
public final class LeaderEventsApi {
  private final Http http;

  public LeaderEventsApi(Http http) {
    this.http = http;
  }

  /** One change, as the page describes it; absent fields are what the exporter could not know. */
  public record Event(String scope, Optional<String> from, Optional<String> to, Optional<String> kind, boolean rebuilt,
      boolean recovered, Optional<Instant> detectedAt, Optional<Instant> lostAt, OptionalDouble vacancySeconds,
      OptionalDouble keyVacantSeconds, Optional<String> requestLeader, Optional<String> requestCandidate,
      OptionalLong timeline, Optional<String> switchLsn, OptionalLong switchLsnBytes,
      OptionalLong oldLeaderPositionBytes, OptionalLong walAtRiskBytes, Optional<Instant> historyAt,
      Optional<Instant> promotedAt) {

    /** When it happened: seen by the watch, else the promotion time from history. */
    public Optional<Instant> at() {
      return detectedAt.or(() -> promotedAt);
    }
  }

  /** The page: the scopes it covers, whether the watch is current, the events newest first. */
  public record Page(List<String> scopes, boolean watchHealthy, List<Event> events) {}

  /** Where the cluster's exporter-etcd serves the page. */
  public static String url(Topology t) {
    return "http://" + t.haproxy().host() + ":" + t.exporters().etcd() + "/events";
  }

  /** The {@code last} newest events, of {@code scope} or every watched scope; fails saying why. */
  public Page read(Topology t, Optional<String> scope, int last) throws IOException {
    Http.Response r = http.get(query(t, scope, last));
    if (r.status() == 0) {
      throw new IOException("exporter-etcd at " + url(t) + " does not answer: " + r.body());
    }
    if (!r.ok()) {
      throw new IOException("exporter-etcd at " + url(t) + " answered " + r.status() + ": " + r.body().strip());
    }
    return parse(r.json());
  }

  /** The page as the exporter wrote it (for {@code --json}). */
  public String readRaw(Topology t, Optional<String> scope, int last) throws IOException {
    Http.Response r = http.get(query(t, scope, last));
    if (!r.ok()) {
      throw new IOException("exporter-etcd at " + url(t) + (r.status() == 0 ? " does not answer: " : " answered "
          + r.status() + ": ") + r.body().strip());
    }
    return r.body();
  }

  private static String query(Topology t, Optional<String> scope, int last) {
    return url(t) + "?last=" + last + scope.map(s -> "&scope=" + URLEncoder.encode(s, StandardCharsets.UTF_8)).orElse("");
  }

  public static Page parse(JsonNode root) throws IOException {
    if (!root.isObject() || !root.path("events").isArray()) {
      throw new IOException("not an exporter-etcd events page (no events list)");
    }
    List<String> scopes = new ArrayList<>();
    root.path("scopes").forEach(s -> scopes.add(s.path("scope").asText()));
    List<Event> events = new ArrayList<>();
    for (JsonNode e : root.path("events")) {
      JsonNode request = e.path("request");
      events.add(new Event(e.path("scope").asText(), text(e, "from"), text(e, "to"), text(e, "kind"),
          e.path("rebuilt").asBoolean(), e.path("recovered").asBoolean(), time(e, "detected_at"), time(e, "lost_at"),
          decimal(e, "vacancy_seconds"), decimal(e, "key_vacant_seconds"), text(request, "leader"),
          text(request, "candidate"), whole(e, "timeline"), text(e, "switch_lsn"), whole(e, "switch_lsn_bytes"),
          whole(e, "old_leader_position_bytes"), whole(e, "wal_at_risk_bytes"), time(e, "history_at"),
          time(e, "promoted_at")));
    }
    return new Page(List.copyOf(scopes), root.path("watch_healthy").asBoolean(), List.copyOf(events));
  }

  private static Optional<String> text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isTextual() && !v.asText().isEmpty() ? Optional.of(v.asText()) : Optional.empty();
  }

  private static Optional<Instant> time(JsonNode n, String field) {
    return text(n, field).map(Instant::parse);
  }

  private static OptionalDouble decimal(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isNumber() ? OptionalDouble.of(v.asDouble()) : OptionalDouble.empty();
  }

  private static OptionalLong whole(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isIntegralNumber() ? OptionalLong.of(v.asLong()) : OptionalLong.empty();
  }
}
