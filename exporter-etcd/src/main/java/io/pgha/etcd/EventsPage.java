package io.pgha.etcd;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /events[?scope=S][&last=N]}: the last leader changes as JSON, newest first, at most
 * {@link #MAX} ({@link #DEFAULT_LAST} unless {@code last} says otherwise). Events the exporter did
 * not see as a change of holder (read from Patroni's {@code history} when it started, or a promotion of the member
 * that already held the key) are marked {@code rebuilt}
 * and carry only what {@code history} tells. Rendering is pure ({@link #json}).
 */
final class EventsPage implements Handler<RoutingContext> {
  static final int DEFAULT_LAST = 100;
  static final int MAX = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DcsWatcher watcher;
  private final List<String> scopes;

  EventsPage(DcsWatcher watcher, List<String> scopes) {
    this.watcher = watcher;
    this.scopes = List.copyOf(scopes);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String scope = ctx.request().getParam("scope");
    String last = ctx.request().getParam("last");
    int n = DEFAULT_LAST;
    String problem = null;
    if (last != null) {
      try {
        n = Integer.parseInt(last.strip());
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 1 || n > MAX) {
        problem = "last: must be a whole number from 1 to " + MAX + ", got '" + last + "'";
      }
    }
    if (scope != null && !scopes.contains(scope)) {
      problem = "scope: not watched by this exporter: '" + scope + "' (watched: " + String.join(", ", scopes) + ")";
    }
    if (problem != null) {
      ctx.response().setStatusCode(400).putHeader("content-type", "text/plain; charset=utf-8").end(problem + "\n");
      return;
    }
    ctx.response().putHeader("content-type", "application/json").end(json(watcher.view(), scopes,
        Optional.ofNullable(scope), n));
  }

  /** The page for {@code scope} (every watched scope when empty), the {@code last} newest events. */
  static String json(DcsView view, List<String> scopes, Optional<String> scope, int last) {
    List<LeaderEvent> events = new ArrayList<>();
    List<String> shown = scope.map(List::of).orElse(scopes);
    ObjectNode root = JSON.createObjectNode();
    ArrayNode scopeNodes = root.putArray("scopes");
    for (String s : shown) {
      ObjectNode n = scopeNodes.addObject().put("scope", s);
      Optional<ScopeState> state = view.scope(s);
      n.put("read", state.isPresent());
      state.ifPresent(st -> {
        n.put("leader", st.leader().holder());
        events.addAll(st.events());
      });
    }
    root.put("watch_healthy", view.healthy());
    putTime(root, "confirmed_at", view.confirmedAtMillis());
    // Stable: within a scope the list is already newest first; rebuilt events are older than seen ones.
    events.sort(Comparator.comparingLong(LeaderEvent::atMillis).reversed());
    ArrayNode out = root.putArray("events");
    events.stream().limit(last).forEach(e -> event(out.addObject(), e));
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void event(ObjectNode n, LeaderEvent e) {
    n.put("scope", e.scope());
    n.put("from", e.from().orElse(null));
    n.put("to", e.to().isEmpty() ? null : e.to());
    n.put("kind", e.kind().map(LeaderEvent.Kind::label).orElse(null));
    n.put("rebuilt", e.rebuilt());
    n.put("recovered", e.recovered());
    putTime(n, "detected_at", e.detectedAtMillis());
    putTime(n, "lost_at", e.lostAtMillis());
    putSeconds(n, "vacancy_seconds", e.vacancyMillis());
    putSeconds(n, "key_vacant_seconds", e.keyVacantMillis());
    if (e.request().isPresent()) {
      FailoverRequest r = e.request().get();
      n.putObject("request").put("leader", r.leader().orElse(null)).put("candidate", r.candidate().orElse(null))
          .put("scheduled_at", r.scheduledAt().orElse(null));
    } else {
      n.putNull("request");
    }
    putNumber(n, "timeline", e.timeline());
    n.put("switch_lsn", e.switchLsnBytes() < 0 ? null : lsn(e.switchLsnBytes()));
    putNumber(n, "switch_lsn_bytes", e.switchLsnBytes());
    putNumber(n, "old_leader_position_bytes", e.oldLeaderPositionBytes());
    n.put("old_leader_position", e.oldLeaderPositionBytes() < 0 ? null : lsn(e.oldLeaderPositionBytes()));
    Optional<Long> risk = e.walAtRiskBytes();
    if (risk.isPresent()) {
      n.put("wal_at_risk_bytes", risk.get());
    } else {
      n.putNull("wal_at_risk_bytes");
    }
    putTime(n, "history_at", e.historyAtMillis());
    putTime(n, "promoted_at", e.promotedAtMillis());
  }

  /** PostgreSQL's text form of an LSN: high and low 32 bits in hex. */
  static String lsn(long bytes) {
    return String.format("%X/%X", bytes >>> 32, bytes & 0xFFFFFFFFL);
  }

  private static void putTime(ObjectNode n, String field, long millis) {
    n.put(field, millis < 0 ? null : Instant.ofEpochMilli(millis).toString());
  }

  private static void putSeconds(ObjectNode n, String field, Optional<Long> millis) {
    if (millis.isPresent()) {
      n.put(field, millis.get() / 1000.0);
    } else {
      n.putNull(field);
    }
  }

  private static void putNumber(ObjectNode n, String field, long value) {
    if (value < 0) {
      n.putNull(field);
    } else {
      n.put(field, value);
    }
  }
}
