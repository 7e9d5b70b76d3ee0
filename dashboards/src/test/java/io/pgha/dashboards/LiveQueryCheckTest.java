package io.pgha.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pgha.patroni.PatroniMetrics;
import io.pgha.postgres.PostgresMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live check against a stand-in Prometheus that replays answers recorded from Prometheus 2.42
 * (src/test/resources/prometheus-2.42), so substitution, error reporting and series counting are
 * tested without a server; the run against the real cluster belongs to the it module.
 */
class LiveQueryCheckTest {

  /** Recorded answer per query; any other query gets the recorded empty vector. */
  private static final Map<String, String> RECORDED = Map.of(
      "count by (scope) (" + PatroniMetrics.UP.name() + ")", "label-values-scope",
      "count by (proxy) (haproxy_backend_active_servers{job=\"haproxy\"})", "label-values-proxy",
      PatroniMetrics.LEADER.name() + "{scope=\"pgha\"} == 1", "vector-leader",
      "time()", "scalar-time",
      "sum by (member (" + PatroniMetrics.LEADER.name() + "{scope=\"pgha\"})", "error-parse",
      PatroniMetrics.LEADER.name() + " * on (scope) " + PatroniMetrics.MEMBER_UP.name(), "error-many-to-many",
      "up{job=\"prometheus\"}[1m]", "matrix-up");

  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY each answer waits for
    // a delayed ACK (about 40 ms on Linux).
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private HttpServer server;
  private final List<String> received = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void startRecordedPrometheus() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/query", this::query);
    server.createContext("/api/v1/label/__name__/values", ex -> reply(ex, 200, "metric-names"));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void reportsEveryQueryWithItsOutcome() throws IOException {
    LiveQueryReport report = LiveQueryCheck.against(url()).requireSeries(true).build().run(List.of(fixture()));

    assertThat(report.results()).extracting(r -> r.query().where() + " -> " + outcome(r)).containsExactly(
        "live-check #2 \"Leader\" A -> 1 series",
        "live-check #2 \"Leader\" B -> 1 series",
        "live-check #3 \"Many to many\" A -> execution: found duplicate series for the match group",
        "live-check #4 \"Unknown metric\" A -> 0 series",
        "live-check #5 \"Range vector\" A -> returns a range vector: a panel needs an instant vector or a scalar",
        "live-check #6 \"Typo\" A -> not sent: no value for variable(s) [scop]",
        "live-check #7 \"Write backend\" A -> 0 series",
        "live-check annotation \"Parse error\" -> bad_data: invalid parameter \"query\": 1:16: parse error: "
            + "unexpected \"(\" in grouping opts, expected \",\" or \")\"");
  }

  @Test
  void sendsTheQueriesWithVariablesSubstitutedAsGrafanaWould() throws IOException {
    LiveQueryCheck.against(url()).build().run(List.of(fixture()));
    assertThat(received).contains(
        PatroniMetrics.LEADER.name() + "{scope=\"pgha\"} == 1",
        // write_backend is a plain variable: its one value goes in as is, chosen by its regex
        "haproxy_backend_active_servers{proxy=~\"postgres_write\"}");
    assertThat(received).noneMatch(q -> q.contains("$"));
  }

  @Test
  void givenValuesWinOverResolution() throws IOException {
    LiveQueryCheck.against(url()).variable("scope", "other").variable("write_backend", "pg_w").build()
        .run(List.of(fixture()));
    assertThat(received).contains(PatroniMetrics.LEADER.name() + "{scope=\"other\"} == 1",
        "haproxy_backend_active_servers{proxy=~\"pg_w\"}");
    assertThat(received).doesNotContain("count by (scope) (" + PatroniMetrics.UP.name() + ")");
  }

  @Test
  void problemsNameTheQueryTheVariableAndTheMissingMetric() throws IOException {
    LiveQueryReport report = LiveQueryCheck.against(url()).requireSeries(true).build().run(List.of(fixture()));

    assertThat(report.metricsUsed()).containsExactly("haproxy_backend_active_servers", PatroniMetrics.LEADER.name(),
        "pgha_patroni_leaderr", PatroniMetrics.MEMBER_UP.name(), "up");
    assertThat(report.metricsMissing()).containsExactly("pgha_patroni_leaderr");
    assertThat(report.problems()).containsExactlyInAnyOrder(
        "live-check variable $cluster: no value from label_values(no_such_metric, cluster)",
        "live-check #3 \"Many to many\" A: " + report.rejected().get(0).error(),
        "live-check #5 \"Range vector\" A: returns a range vector: a panel needs an instant vector or a scalar",
        "live-check #6 \"Typo\" A: not sent: no value for variable(s) [scop]",
        "live-check annotation \"Parse error\": " + report.rejected().get(3).error(),
        "live-check #4 \"Unknown metric\" A: no series for pgha_patroni_leaderr{scope=\"pgha\"}",
        "live-check #7 \"Write backend\" A: no series for haproxy_backend_active_servers{proxy=~\"postgres_write\"}",
        "metric not in Prometheus: pgha_patroni_leaderr");
    assertThat(report.render()).contains("ERROR", "EMPTY", "8 queries: 2 with series, 2 empty, 4 rejected");
  }

  @Test
  void emptyResultsAreNoProblemUnlessSeriesAreRequired() throws IOException {
    LiveQueryReport report = LiveQueryCheck.against(url()).build().run(List.of(fixture()));
    assertThat(report.panelsWithoutSeries()).hasSize(2);
    assertThat(report.problems()).noneMatch(p -> p.contains("no series"));
  }

  @Test
  void anUnreachablePrometheusIsReportedNotThrown() throws IOException {
    String url = url();
    server.stop(0);
    LiveQueryReport report = LiveQueryCheck.against(url).timeout(Duration.ofSeconds(2)).build()
        .run(List.of(fixture()));
    assertThat(report.results()).isNotEmpty().allMatch(r -> !r.accepted());
    assertThat(report.problems()).anyMatch(p -> p.startsWith("live-check variable $scope: label_values query failed: "
        + "cannot reach " + url + "/api/v1/query"));
    assertThat(report.problems()).anyMatch(p -> p.startsWith("metric names: cannot reach"));
  }

  @Test
  void theGeneratedDashboardsResolveTheirVariablesFromThePrometheusAnswers() {
    LiveQueryReport report = LiveQueryCheck.against(url()).build().run(LiveQueryCheck.generatedDashboards());
    assertThat(report.problems()).noneMatch(p -> p.contains("variable $scope") || p.contains("variable $write_backend"));
    assertThat(received).contains("max by (standby) (" + PostgresMetrics.REPLICATION_LAG_BYTES.name() + "{scope=\"pgha\", "
        + "stage=\"replay\"})");
  }

  private static String outcome(LiveQueryReport.Result r) {
    if (!r.accepted()) {
      return r.error().length() > 60 && r.error().startsWith("execution") ? r.error().substring(0, 53) : r.error();
    }
    return r.series() + " series";
  }

  private static JsonNode fixture() throws IOException {
    try (InputStream in = LiveQueryCheckTest.class.getResourceAsStream("/live-check-dashboard.json")) {
      return Json.MAPPER.readTree(in);
    }
  }

  private void query(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String query = URLDecoder.decode(body.substring("query=".length()), StandardCharsets.UTF_8);
    received.add(query);
    String recording = RECORDED.getOrDefault(query, "vector-empty");
    int status = recording.equals("error-parse") ? 400 : recording.equals("error-many-to-many") ? 422 : 200;
    reply(ex, status, recording);
  }

  private static void reply(HttpExchange ex, int status, String recording) throws IOException {
    byte[] bytes;
    try (InputStream in = LiveQueryCheckTest.class.getResourceAsStream("/prometheus-2.42/" + recording + ".json")) {
      bytes = in.readAllBytes();
    }
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
