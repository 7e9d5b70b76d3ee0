package io.pgha.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.pgha.lab.topology.ClusterFile;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole command against a local HTTP server answering with pages recorded from exporter-etcd. */
class EventsCommandTest {

  @TempDir Path workdir;
  private HttpServer server;
  private final List<String> queries = new ArrayList<>();
  private final CliRun cli = new CliRun(EventsCommand::new);
  private final StringWriter out = cli.out;
  private final StringWriter err = cli.err;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private int serve(int status, String body) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/events", exchange -> {
      queries.add(exchange.getRequestURI().getQuery());
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "text/plain");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    return server.getAddress().getPort();
  }

  private static String recorded(String name) throws IOException {
    try (InputStream in = EventsCommandTest.class.getResourceAsStream("/recorded/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The work dir's cluster.json, with exporter-etcd on 127.0.0.1:{@code port}. */
  private void clusterJson(int port) throws IOException {
    String json = ClusterFile.toJson(Topology.of(workdir, 0));
    String exporters = "\"exporters\":{\"patroni\":9811,\"postgres\":9812,\"etcd\":9813}";
    assertThat(json).contains(exporters);
    Files.writeString(workdir.resolve("cluster.json"), json.replace(exporters, exporters.replace("9813", "" + port)));
  }

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void listsTheChangesOldestFirstWithKindVacancyAndWalAtRisk() throws IOException {
    int port = serve(200, recorded("exporter-etcd-events.json"));
    clusterJson(port);

    assertThat(run("--workdir", workdir.toString(), "--scope", "pgha", "--last", "5")).isZero();

    assertThat(out.toString()).isEqualTo("""
        exporter-etcd http://127.0.0.1:%d/events: scopes pgha, watch healthy
        SCOPE  TL  LSN        TIME                      FROM  TO    KIND        VACANCY   WAL AT RISK
        pgha   2   0/5091248  2026-12-06T05:59:28.486Z  pg-2  pg-1  switchover  0.079 s   0 B
        pgha   3   0/5093230  2026-12-06T05:59:33.208Z  pg-1  pg-3  failover    0.187 s   0 B
        pgha   4   0/5094FD8  2026-12-06T06:00:15.129Z  pg-3  pg-1  expired     10.363 s  227272 B
        """.formatted(port));
    assertThat(queries).containsExactly("last=5&scope=pgha");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void changesRebuiltFromHistoryAfterARestartSaySo() throws IOException {
    clusterJson(serve(200, recorded("exporter-etcd-events-restarted.json")));

    assertThat(run("--workdir", workdir.toString())).isZero();

    assertThat(out.toString()).contains("""
        SCOPE  TL  LSN        TIME                      FROM  TO    KIND       VACANCY  WAL AT RISK
        pgha   2   0/5091248  2026-12-06T05:59:28.661Z  -     pg-1  (history)  -        -
        pgha   3   0/5093230  2026-12-06T05:59:33.453Z  pg-1  pg-3  (history)  -        -
        pgha   4   0/5094FD8  2026-12-06T06:00:15.253Z  pg-3  pg-1  (history)  -        -
        (history): known from Patroni's history only, read when exporter-etcd started or written for a promotion without a new key holder (a leader that took its own key back)
        """);
    assertThat(queries).containsExactly("last=20");
  }

  @Test
  void jsonIsTheExportersPageAsIs() throws IOException {
    String page = recorded("exporter-etcd-events.json");
    clusterJson(serve(200, page));

    assertThat(run("--workdir", workdir.toString(), "--json")).isZero();

    assertThat(out.toString()).isEqualTo(page);
  }

  @Test
  void anExporterRefusingOrRejectingTheQueryIsExitOneWithTheReason() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    clusterJson(port);
    assertThat(run("--workdir", workdir.toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("pgha events: exporter-etcd at http://127.0.0.1:" + port
        + "/events does not answer: connection refused\n");

    err.getBuffer().setLength(0);
    clusterJson(serve(400, "scope: not watched by this exporter: 'other' (watched: pgha)\n"));
    assertThat(run("--workdir", workdir.toString(), "--scope", "other")).isEqualTo(1);
    assertThat(err.toString()).contains("answered 400: scope: not watched by this exporter: 'other' (watched: pgha)\n");
  }

  @Test
  void badOptionsAndAMissingClusterAreReported() {
    assertThat(run("--workdir", workdir.toString(), "--last", "0")).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("pgha events: --last must be from 1 to 1000 and --timeout >= 1\n");
    err.getBuffer().setLength(0);
    assertThat(run("--workdir", workdir.toString())).isEqualTo(1);
    assertThat(err.toString()).startsWith("pgha events: " + workdir.resolve("cluster.json") + ": not found");
  }
}
