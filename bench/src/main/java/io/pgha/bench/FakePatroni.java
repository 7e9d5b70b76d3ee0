package io.pgha.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Simulated Patroni members for the scale bench: each member a REST API of its own on 127.0.0.1
 * (a port the kernel picks), answering {@code /cluster}, {@code /patroni} and {@code /history} with
 * documents shaped like Patroni 3.0.2's (recorded in exporter-patroni's tests): member 1 is the
 * leader, the others stream from it. Like Patroni, every answer closes its connection.
 */
final class FakePatroni implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Vertx vertx;
  private final List<HttpServer> servers;
  private final List<URI> urls;

  private FakePatroni(Vertx vertx, List<HttpServer> servers, List<URI> urls) {
    this.vertx = vertx;
    this.servers = servers;
    this.urls = urls;
  }

  /** Starts {@code members} members of scope {@code scope}; returns once all listen. */
  static FakePatroni start(String scope, int members) throws Exception {
    Vertx vertx = Vertx.vertx();
    List<HttpServer> servers = new ArrayList<>();
    try {
      for (int i = 0; i < members; i++) {
        servers.add(vertx.createHttpServer());
      }
      // Bound first, answered after: every document names the ports of all the members. Vert.x
      // wants the handler before listening, so it reads the documents from here once they exist.
      AtomicReferenceArray<Buffer[]> documents = new AtomicReferenceArray<>(members);
      for (int i = 0; i < members; i++) {
        int member = i;
        servers.get(i).requestHandler(req -> {
          Buffer[] docs = documents.get(member);
          Buffer body = docs == null ? null : switch (req.path()) {
            case "/cluster" -> docs[0];
            case "/patroni" -> docs[1];
            case "/history" -> docs[2];
            default -> null;
          };
          if (body == null) {
            req.response().setStatusCode(docs == null ? 503 : 404).putHeader("Connection", "close").end();
          } else {
            req.response().putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close").end(body);
          }
        });
      }
      List<Future<HttpServer>> listening = new ArrayList<>();
      for (HttpServer s : servers) {
        listening.add(s.listen(0, "127.0.0.1"));
      }
      Future.all(listening).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      List<Integer> ports = servers.stream().map(HttpServer::actualPort).toList();
      Buffer cluster = Buffer.buffer(JSON.writeValueAsBytes(cluster(ports)));
      Buffer history = Buffer.buffer(JSON.writeValueAsBytes(history(ports.size())));
      for (int i = 0; i < members; i++) {
        Buffer status = Buffer.buffer(JSON.writeValueAsBytes(status(scope, i, members)));
        documents.set(i, new Buffer[] {cluster, status, history});
      }
      List<URI> urls = ports.stream().map(p -> URI.create("http://127.0.0.1:" + p)).toList();
      return new FakePatroni(vertx, servers, urls);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  /** Each member's REST API base URL, member 1 (the leader) first. */
  List<URI> urls() {
    return urls;
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

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // bounded; the servers die with the JVM otherwise
    }
  }
}
