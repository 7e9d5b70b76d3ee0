package io.pgha.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExporterCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private Path config(String yaml) throws Exception {
    Path file = dir.resolve("config.yml");
    Files.writeString(file, yaml);
    return file;
  }

  private int run(String... args) {
    return ExporterCommand.execute(DemoExporter.spec(), args, Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void servesMetricsInTheNegotiatedFormatAndMasksSecretsOnTheLandingPage() throws Exception {
    Path file = config("""
        demo:
          scope: pgha
          password: hunter2
        """);
    try (ExporterProcess running = ExporterCommand.start(DemoExporter.spec(), Map.of(),
        "--config", file.toString(), "--web.listen-address=127.0.0.1:0")) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + running.port("demo");

      HttpResponse<String> text = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(text.statusCode()).isEqualTo(200);
      assertThat(text.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain; version=0.0.4");
      assertThat(text.body()).contains("pgha_demo_up{scope=\"pgha\"} 1.0\n")
          .contains("pgha_demo_collector_success{collector=\"demo\"} 1.0\n");

      HttpResponse<String> om = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
          .header("Accept", "application/openmetrics-text; version=1.0.0").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(om.headers().firstValue("content-type").orElseThrow()).startsWith("application/openmetrics-text");
      assertThat(om.body()).endsWith("# EOF\n");

      HttpResponse<String> healthy = http.send(HttpRequest.newBuilder(URI.create(base + "/-/healthy")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(healthy.statusCode()).isEqualTo(200);

      HttpResponse<String> landing = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(landing.body()).contains("&lt;secret&gt;").doesNotContain("hunter2").contains("href=\"/metrics\"")
          .contains("href=\"/scope\"");

      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/scope")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).isEqualTo("pgha\n");
    }
  }

  @Test
  void closingLetsAScrapeInFlightFinishThenClosesTheClientsThenRefusesConnections() throws Exception {
    // A slow target on a Vert.x of its own, which stopping the exporter does not touch.
    Vertx targetVertx = Vertx.vertx();
    CountDownLatch collecting = new CountDownLatch(1);
    AtomicBoolean clientClosed = new AtomicBoolean();
    AtomicBoolean closedBeforeAnswer = new AtomicBoolean();
    try {
      HttpServer target = targetVertx.createHttpServer()
          .requestHandler(req -> targetVertx.setTimer(500, t -> {
            closedBeforeAnswer.set(clientClosed.get());
            req.response().end("42");
          }))
          .listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
      ExporterSpec<DemoExporter.Config> slow = DemoExporter.spec((vertx, config) -> {
        CollectorSet set = new CollectorSet();
        io.vertx.core.http.HttpClient client = vertx.createHttpClient();
        set.client(() -> {
          clientClosed.set(true);
          client.close().await(5, TimeUnit.SECONDS);
        });
        return set.add(DemoExporter.collector("slow", context -> {
          collecting.countDown();
          Future<List<MetricSnapshot>> value = client.request(HttpMethod.GET, target.actualPort(), "127.0.0.1", "/")
              .compose(req -> req.send()).compose(resp -> resp.body())
              .map(body -> List.of(DemoExporter.UP.snapshot(Double.parseDouble(body.toString()), config.scope())));
          return value;
        }));
      });
      Path file = config("demo: {scope: slow}\n");
      ExporterProcess running = ExporterCommand.start(slow, Map.of(), "--config", file.toString(), "--web.listen-address=127.0.0.1:0");
      HttpClient http = HttpClient.newHttpClient();
      URI metrics = URI.create("http://127.0.0.1:" + running.port("demo") + "/metrics");
      var inFlight = http.sendAsync(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(collecting.await(5, TimeUnit.SECONDS)).isTrue();

      running.close();

      HttpResponse<String> response = inFlight.get(5, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("pgha_demo_up{scope=\"slow\"} 42.0")
          .contains("pgha_demo_collector_success{collector=\"slow\"} 1.0");
      assertThat(closedBeforeAnswer).as("the client outlives the scrape in flight").isFalse();
      assertThat(clientClosed).as("the exporter closed its client").isTrue();
      assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(ConnectException.class);
    } finally {
      targetVertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void badConfigurationNamesTheKey() throws Exception {
    assertThatThrownBy(() -> ExporterCommand.start(DemoExporter.spec(), Map.of()))
        .hasMessageStartingWith("--config: is required");
    assertThatThrownBy(() -> ExporterCommand.start(DemoExporter.spec(), Map.of(), "--config", dir.resolve("nope.yml").toString()))
        .hasMessageStartingWith("--config: no such file");
    Path typo = config("demo: {scope: x}\nweb: {listen_adress: 1}\n");
    assertThatThrownBy(() -> ExporterCommand.start(DemoExporter.spec(), Map.of(), "--config", typo.toString()))
        .hasMessageStartingWith("web.listen_adress: unknown key");
    Path badPort = config("demo: {scope: x}\n");
    assertThatThrownBy(() -> ExporterCommand.start(DemoExporter.spec(), Map.of(),
        "--config", badPort.toString(), "--web.listen-address", "127.0.0.1:http"))
        .hasMessageStartingWith("--web.listen-address: port must be a number");
    Path missingSection = config("scrape: {timeout: 2s}\n");
    assertThatThrownBy(() -> ExporterCommand.start(DemoExporter.spec(), Map.of(), "--config", missingSection.toString()))
        .hasMessage("demo: is required");
    assertThatThrownBy(() -> ExporterCommand.start(DemoExporter.spec(), Map.of(), "--confg", "x"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("--confg: unknown flag (known: --config, ");
    assertThatThrownBy(() -> ExporterCommand.start(DemoExporter.spec(), Map.of(), "--config"))
        .hasMessage("--config: needs a value");
  }

  @Test
  void flagsWinOverEnvironmentWhichWinsOverTheFile() throws Exception {
    Path file = config("demo: {scope: x}\nweb: {listen_address: '127.0.0.1:1', telemetry_path: /from-file}\n");
    Map<String, String> env = Map.of("PGHA_CONFIG", file.toString(), "PGHA_WEB_LISTEN_ADDRESS", "127.0.0.1:2",
        "PGHA_WEB_TELEMETRY_PATH", "/from-env");
    ExporterConfig<?> fromEnv = ExporterConfig.load(DemoExporter.spec(), Map.of(), env);
    assertThat(fromEnv.web().port()).isEqualTo(2);
    assertThat(fromEnv.web().telemetryPath()).isEqualTo("/from-env");
    ExporterConfig<?> fromFlag = ExporterConfig.load(DemoExporter.spec(), Map.of(ExporterOptions.LISTEN_ADDRESS, "127.0.0.1:3"), env);
    assertThat(fromFlag.web().port()).isEqualTo(3);
    assertThat(ExporterConfig.load(DemoExporter.spec(), Map.of(), Map.of("PGHA_CONFIG", file.toString())).web().telemetryPath())
        .isEqualTo("/from-file");
  }

  @Test
  void configCheckValidatesWithoutListening() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path good = config("demo: {scope: x}\n");
    assertThat(run("--config", good.toString(), "--web.listen-address", "127.0.0.1:" + port, "--config.check")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("pgha-exporter-demo: configuration is valid (exporter-demo)\n");
    try (ServerSocket free = new ServerSocket(port)) {
      assertThat(free.getLocalPort()).as("nothing listened on the port").isEqualTo(port);
    }

    Path bad = config("demo: {scope: x, colour: blue}\n");
    assertThat(run("--config", bad.toString(), "--config.check")).isEqualTo(2);
    assertThat(err()).startsWith("pgha-exporter-demo: configuration error: demo.colour: unknown key");
  }

  @Test
  void badFlagsExitTwoWithTheFlagNamed() {
    assertThat(run("--config", "x.yml", "--log.level", "chatty")).isEqualTo(2);
    assertThat(err()).startsWith("pgha-exporter-demo: configuration error: --log.level: want debug, info, warn or error, got chatty");
    err.reset();
    assertThat(run("--web.listen-adress=:1")).isEqualTo(2);
    assertThat(err()).startsWith("pgha-exporter-demo: configuration error: --web.listen-adress: unknown flag (known: ");
  }

  @Test
  void helpAndVersionExitZero() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("pgha-exporter-demo dev\n");
    out.reset();
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: pgha-exporter-demo ")
        .contains("--config=FILE", "--web.listen-address=HOST:PORT", "--web.telemetry-path=PATH", "--web.config.file=FILE",
            "--log.level=LEVEL", "--log.format=FORMAT", "--config.check", "--version");
  }
}
