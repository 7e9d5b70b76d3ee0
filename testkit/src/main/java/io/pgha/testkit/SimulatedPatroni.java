package io.pgha.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Whole simulated Patroni clusters (for pgha bench's scale runs): one {@link FakePatroni} per member,
 * each answering {@code /cluster}, {@code /patroni}, {@code /history} and {@code /config} with documents shaped like
 * Patroni 3.0.2's (recorded in exporter-patroni's tests): member 1 is the leader, the others stream
 * from it. Like Patroni, every answer closes its connection.
 */
public final class SimulatedPatroni implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Vertx vertx;
  private final Map<String, List<URI>> scopes;

  private SimulatedPatroni(Vertx vertx, Map<String, List<URI>> scopes) {
    this.vertx = vertx;
    this.scopes = scopes;
  }

  /** Starts {@code members} members of scope {@code scope}; returns once all listen and answer. */
  public static SimulatedPatroni start(String scope, int members) throws Exception {
    return start(List.of(scope), members);
  }

  /**
   * Starts {@code members} members of each scope (one Vert.x for all, as many Patroni clusters
   * watched from one place would be); returns once all listen and answer.
   */
  public static SimulatedPatroni start(List<String> scopes, int members) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Map<String, List<URI>> urls = new LinkedHashMap<>();
      for (String scope : scopes) {
        urls.put(scope, scope(vertx, scope, members));
      }
      return new SimulatedPatroni(vertx, urls);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  private static List<URI> scope(Vertx vertx, String scope, int members) throws Exception {
    // Bound first, answered after: every document names the ports of all the members.
    List<FakePatroni> fakes = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      fakes.add(new FakePatroni(vertx).closingEachConnection());
    }
    List<Integer> ports = fakes.stream().map(FakePatroni::port).toList();
    String cluster = JSON.writeValueAsString(cluster(ports));
    String history = JSON.writeValueAsString(history(ports.size()));
    String config = JSON.writeValueAsString(config());
    for (int i = 0; i < members; i++) {
      fakes.get(i).reply("/cluster", FakePatroni.Reply.json(cluster))
          .reply("/patroni", FakePatroni.Reply.json(JSON.writeValueAsString(status(scope, i, members))))
          .reply("/history", FakePatroni.Reply.json(history))
          .reply("/config", FakePatroni.Reply.json(config));
    }
    return ports.stream().map(p -> URI.create("http://127.0.0.1:" + p)).toList();
  }

  /** Each member's REST API base URL, member 1 (the leader) first, of the first scope. */
  public List<URI> urls() {
    return scopes.values().iterator().next();
  }

  /** Each scope's members' REST API base URLs, member 1 (the leader) first, in the order started. */
  public Map<String, List<URI>> scopes() {
    return Collections.unmodifiableMap(scopes);
  }

  static String name(int i) {
    return "pg-" + (i + 1);
  }

  /** {@code GET /cluster}: every member with its role, state, timeline and lag. */
  static ObjectNode cluster(List<Integer> ports) {
    ObjectNode doc = NODES.objectNode();
    ArrayNode members = doc.putArray("members");
    for (int i = 0; i < ports.size(); i++) {
      ObjectNode m = members.addObject();
      m.put("name", name(i));
      m.put("role", i == 0 ? "leader" : "replica");
      m.put("state", "running");
      m.put("api_url", "http://127.0.0.1:" + ports.get(i) + "/patroni");
      m.put("host", "127.0.0.1");
      m.put("port", 5432);
      m.put("timeline", 3);
      if (i > 0) {
        m.put("lag", 0);
      }
    }
    return doc;
  }

  /** {@code GET /patroni} of member {@code i}; the leader lists every replica it streams to. */
  static ObjectNode status(String scope, int i, int members) {
    ObjectNode doc = NODES.objectNode();
    doc.put("state", "running");
    doc.put("postmaster_start_time", "2026-11-26 03:45:31.673784+00:00");
    doc.put("role", i == 0 ? "master" : "replica");
    doc.put("server_version", 150018);
    ObjectNode xlog = doc.putObject("xlog");
    if (i == 0) {
      xlog.put("location", 67108960L);
    } else {
      xlog.put("received_location", 67108960L);
      xlog.put("replayed_location", 67108960L);
      xlog.putNull("replayed_timestamp");
      xlog.put("paused", false);
    }
    doc.put("timeline", 3);
    if (i == 0) {
      ArrayNode replication = doc.putArray("replication");
      for (int r = 1; r < members; r++) {
        ObjectNode row = replication.addObject();
        row.put("usename", "replicator");
        row.put("application_name", name(r));
        row.put("client_addr", "127.0.0.1");
        row.put("state", "streaming");
        row.put("sync_state", "async");
        row.put("sync_priority", 0);
      }
    }
    doc.put("dcs_last_seen", 1795664760L);
    doc.put("database_system_identifier", "7712321292261257657");
    ObjectNode patroni = doc.putObject("patroni");
    patroni.put("version", "3.0.2");
    patroni.put("scope", scope);
    return doc;
  }

  /** {@code GET /history}: two earlier promotions. */
  static ArrayNode history(int members) {
    ArrayNode doc = NODES.arrayNode();
    doc.addArray().add(1).add(25165984L).add("no recovery target specified")
        .add("2026-11-26T03:50:01.000000+00:00").add(name(Math.min(1, members - 1)));
    doc.addArray().add(2).add(50331808L).add("no recovery target specified")
        .add("2026-11-26T03:55:01.000000+00:00").add(name(0));
    return doc;
  }

  /** {@code GET /config}: the dynamic configuration as pgha's own cluster sets it. */
  static ObjectNode config() {
    ObjectNode doc = NODES.objectNode();
    doc.put("ttl", 10);
    doc.put("loop_wait", 2);
    doc.put("retry_timeout", 4);
    doc.put("maximum_lag_on_failover", 1048576);
    doc.put("failsafe_mode", false);
    doc.put("synchronous_mode", false);
    ObjectNode postgresql = doc.putObject("postgresql");
    postgresql.put("use_pg_rewind", true);
    postgresql.put("use_slots", true);
    ObjectNode parameters = postgresql.putObject("parameters");
    parameters.put("wal_level", "replica");
    parameters.put("hot_standby", "on");
    parameters.put("max_wal_senders", 10);
    parameters.put("max_replication_slots", 10);
    return doc;
  }

  @Override
  public void close() {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // bounded; the servers die with the JVM otherwise
    }
  }
}
