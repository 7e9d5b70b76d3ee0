package io.pgha.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.pgha.cli.Pgha;
import io.pgha.lab.alerts.AlertJson;
import io.pgha.lab.alerts.AlertTables;
import io.pgha.lab.topology.ClusterFile;
import io.pgha.lab.topology.Topology;
import io.pgha.testkit.Recorded;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The whole command against a local HTTP server that answers with a recorded Prometheus response. */
class AlertsCommandTest {

  @TempDir Path workdir;
  private HttpServer server;
  private final CountDownLatch release = new CountDownLatch(1);
  private final CliRun cli = new CliRun(AlertsCommand::new);
  private final StringWriter out = cli.out;
  private final StringWriter err = cli.err;

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  private int serve(int status, String contentType, String body, boolean hang) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/alerts", exchange -> {
      if (hang) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    return server.getAddress().getPort();
  }

  /** The work dir's cluster.json, with Prometheus at {@code host} and {@code port} (any JSON text). */
  private void clusterJson(String host, Object port) throws IOException {
    String json = ClusterFile.toJson(Topology.of(workdir, 0));
    String prometheus = "\"prometheus\":{\"host\":\"127.0.0.1\",\"port\":9090}";
    assertThat(json).contains(prometheus);
    Files.writeString(workdir.resolve("cluster.json"),
        json.replace(prometheus, "\"prometheus\":{\"host\":\"%s\",\"port\":%s}".formatted(host, port)));
  }

  private void notifications() throws IOException {
    Files.createDirectories(workdir.resolve("alerts"));
    Files.writeString(workdir.resolve("alerts/notifications.jsonl"), Recorded.text("alerts/notifications.jsonl"));
  }

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void listsPrometheusAlertsAndTheLastNotifications() throws IOException {
    int port = serve(200, "application/json", Recorded.text("alerts/prometheus-alerts.json"), false);
    clusterJson("127.0.0.1", port);
    notifications();

    assertThat(run("--workdir", workdir.toString(), "--last", "2")).isZero();

    // The table itself is lab's (AlertTablesTest holds it to the letter); here: what the command puts around it.
    String table = AlertTables.prometheus(AlertJson.prometheusAlerts(Recorded.text("alerts/prometheus-alerts.json")));
    assertThat(table).startsWith("STATE    SEVERITY  ALERT").contains("PghaPatroniFailover", "PghaExporterDown");
    assertThat(out.toString()).isEqualTo("""
        Prometheus http://127.0.0.1:%d: 1 firing, 4 pending
        %s
        Receiver %s: 9 notifications, the last 2 shown
        #  STATUS    SEVERITY  ALERT                  STARTS                ENDS                  LABELS                  SUMMARY
        8  firing    warning   PghaPatroniMemberDown  2026-11-26T03:51:21Z  -                     member=pg-1 scope=pgha  Patroni member pg-1 of scope pgha is down
        8  firing    warning   PghaPatroniMemberDown  2026-11-26T03:51:21Z  -                     member=pg-2 scope=pgha  Patroni member pg-2 of scope pgha is down
        9  resolved  warning   PghaPatroniMemberDown  2026-11-26T03:51:21Z  2026-11-26T03:51:37Z  member=pg-1 scope=pgha  Patroni member pg-1 of scope pgha is down
        9  firing    warning   PghaPatroniMemberDown  2026-11-26T03:51:21Z  -                     member=pg-2 scope=pgha  Patroni member pg-2 of scope pgha is down
        """.formatted(port, table, workdir.resolve("alerts/notifications.jsonl")));
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void nothingFiringAndNothingReceivedYet() throws IOException {
    int port = serve(200, "application/json", "{\"status\":\"success\",\"data\":{\"alerts\":[]}}", false);
    clusterJson("127.0.0.1", port);

    assertThat(run("--workdir", workdir.toString())).isZero();

    assertThat(out.toString()).isEqualTo("""
        Prometheus http://127.0.0.1:%d: 0 firing, 0 pending
        nothing pending or firing

        Receiver %s: no notifications yet (no such file)
        """.formatted(port, workdir.resolve("alerts/notifications.jsonl")));
  }

  @Test
  void prometheusRefusingStillShowsTheNotifications() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    clusterJson("127.0.0.1", port);
    notifications();

    assertThat(run("--workdir", workdir.toString(), "--last", "1")).isEqualTo(1);

    assertThat(out.toString())
        .startsWith("Prometheus http://127.0.0.1:" + port + ": failed: connection refused\n\n")
        .contains("9 notifications, the last 1 shown\n")
        .contains("9  resolved  warning   PghaPatroniMemberDown");
  }

  @Test
  void prometheusAnsweringGarbageOrAnErrorStatus() throws IOException {
    int port = serve(200, "text/html", "<html><body>It works!</body></html>", false);
    clusterJson("127.0.0.1", port);
    assertThat(run("--workdir", workdir.toString())).isEqualTo(1);
    assertThat(out.toString()).startsWith(
        "Prometheus http://127.0.0.1:" + port + ": failed: Prometheus /api/v1/alerts: not JSON: ");
  }

  @Test
  void prometheusHttpError() throws IOException {
    int port = serve(503, "text/plain", "Service Unavailable", false);
    clusterJson("127.0.0.1", port);
    assertThat(run("--workdir", workdir.toString())).isEqualTo(1);
    assertThat(out.toString()).startsWith("Prometheus http://127.0.0.1:" + port
        + ": failed: HTTP 503 from http://127.0.0.1:" + port + "/api/v1/alerts\n");
  }

  @Test
  void prometheusHangingIsCutAtTheTimeout() throws IOException {
    int port = serve(200, "application/json", "{}", true);
    clusterJson("127.0.0.1", port);
    assertThat(run("--workdir", workdir.toString(), "--timeout", "1")).isEqualTo(1);
    assertThat(out.toString()).startsWith(
        "Prometheus http://127.0.0.1:" + port + ": failed: no answer within 1000 ms\n");
  }

  @Test
  void noClusterInTheWorkdir() {
    assertThat(run("--workdir", workdir.toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("pgha alerts: " + workdir.resolve("cluster.json")
        + ": not found (./pgha up writes it; is the cluster up, and is --workdir or PGHA_WORKDIR right?)\n");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aBadClusterJsonNamesTheKey() throws IOException {
    clusterJson("127.0.0.1", "\"ninety\"");
    assertThat(run("--workdir", workdir.toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo(
        "pgha alerts: " + workdir.resolve("cluster.json") + ": prometheus.port: not a port number 1-65535 (got \"ninety\")\n");

    Files.writeString(workdir.resolve("cluster.json"), "{\"scope\":\"pgha\"}");
    err.getBuffer().setLength(0);
    assertThat(run("--workdir", workdir.toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("pgha alerts: " + workdir.resolve("cluster.json") + ": namespace: missing\n");
  }

  @Test
  void helpNamesTheOptionsAndTheDefaultWorkdir() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Usage: alerts", "--workdir=DIR", "--offset=N", "--last=N",
        "--timeout=SECONDS");
    assertThat(out.toString().replaceAll("\\s+", " "))
        .contains("(default: $PGHA_WORKDIR or /var/lib/pgha/default)");
  }

  /** The environment variable can only be set for a new process: run ./pgha's main in one. */
  @Test
  void workdirFromTheEnvironment() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Pgha.class.getName(), "alerts")
        .redirectErrorStream(true);
    pb.environment().put("PGHA_WORKDIR", workdir.toString());
    Process process = pb.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isEqualTo(1);
    assertThat(output).contains("pgha alerts: " + workdir.resolve("cluster.json") + ": not found");
  }

  @Test
  void registeredAsASubcommandOfPgha() {
    assertThat(new CommandLine(new Pgha()).getSubcommands()).containsKey("alerts");
  }
}
