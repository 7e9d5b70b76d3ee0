package io.pgha.common;

import static io.pgha.common.Snapshots.gauge;
import static io.pgha.common.Snapshots.gaugePoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExporterLauncherTest {
  @TempDir Path dir;

  private final ExporterLauncher.CollectorFactory factory = (vertx, section) -> {
    String scope = section.string("scope");
    return List.of(new ScrapeCollector() {
      @Override
      public String name() {
        return "demo";
      }

      @Override
      public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
        return Future.succeededFuture(List.of(gauge("pgha_demo_up", "Up.", gaugePoint(1, "scope", scope))));
      }
    });
  };

  private Path config(String yaml) throws Exception {
    Path file = dir.resolve("config.yml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void servesMetricsInTheNegotiatedFormatAndMasksSecretsOnTheLandingPage() throws Exception {
    Path file = config("""
        demo:
          scope: pgha
          password: hunter2
        """);
    try (ExporterLauncher.Running running = ExporterLauncher.start("demo", 0,
        new String[] {"--config", file.toString(), "--web.listen-address=127.0.0.1:0"}, Map.of(), factory)) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + running.port();

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
      assertThat(landing.body()).contains("&lt;secret&gt;").doesNotContain("hunter2").contains("href=\"/metrics\"");
    }
  }

  @Test
  void closingLetsAScrapeInFlightFinishThenRefusesConnections() throws Exception {
    // A slow target on a Vert.x of its own, which closing the exporter does not touch.
    io.vertx.core.Vertx targetVertx = io.vertx.core.Vertx.vertx();
    java.util.concurrent.CountDownLatch collecting = new java.util.concurrent.CountDownLatch(1);
    try {
      io.vertx.core.http.HttpServer target = targetVertx.createHttpServer()
          .requestHandler(req -> targetVertx.setTimer(500, t -> req.response().end("42")))
          .listen(0, "127.0.0.1").await(5, java.util.concurrent.TimeUnit.SECONDS);
      ExporterLauncher.CollectorFactory slow = (vertx, section) -> {
        io.vertx.core.http.HttpClient client = vertx.createHttpClient();
        return List.of(new ScrapeCollector() {
          @Override
          public String name() {
            return "slow";
          }

          @Override
          public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
            collecting.countDown();
            return client.request(io.vertx.core.http.HttpMethod.GET, target.actualPort(), "127.0.0.1", "/")
                .compose(req -> req.send()).compose(resp -> resp.body())
                .map(body -> List.of(gauge("pgha_demo_slow", "Slow.", gaugePoint(Double.parseDouble(body.toString())))));
          }
        });
      };
      Path file = config("demo: {}\n");
      ExporterLauncher.Running running = ExporterLauncher.start("demo", 0,
          new String[] {"--config", file.toString(), "--web.listen-address=127.0.0.1:0"}, Map.of(), slow);
      HttpClient http = HttpClient.newHttpClient();
      URI metrics = URI.create("http://127.0.0.1:" + running.port() + "/metrics");
      var inFlight = http.sendAsync(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(collecting.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

      running.close();

      HttpResponse<String> response = inFlight.get(5, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("pgha_demo_slow 42.0").contains("pgha_demo_collector_success{collector=\"slow\"} 1.0");
      assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(java.net.ConnectException.class);
    } finally {
      targetVertx.close().await(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void badConfigurationNamesTheKey() throws Exception {
    assertThatThrownBy(() -> ExporterLauncher.start("demo", 0, new String[] {}, Map.of(), factory))
        .hasMessageStartingWith("--config: is required");
    assertThatThrownBy(() -> ExporterLauncher.start("demo", 0, new String[] {"--config", dir.resolve("nope.yml").toString()}, Map.of(), factory))
        .hasMessageStartingWith("--config: no such file");
    Path typo = config("demo: {scope: x}\nweb: {listen_adress: 1}\n");
    assertThatThrownBy(() -> ExporterLauncher.start("demo", 0, new String[] {"--config", typo.toString()}, Map.of(), factory))
        .hasMessageStartingWith("web.listen_adress: unknown key");
    Path badPort = config("demo: {scope: x}\n");
    assertThatThrownBy(() -> ExporterLauncher.start("demo", 0,
        new String[] {"--config", badPort.toString(), "--web.listen-address", "127.0.0.1:http"}, Map.of(), factory))
        .hasMessageStartingWith("--web.listen-address: port must be a number");
    Path missingSection = config("scrape: {timeout: 2s}\n");
    assertThatThrownBy(() -> ExporterLauncher.start("demo", 0, new String[] {"--config", missingSection.toString()}, Map.of(), factory))
        .hasMessage("demo: is required");
    assertThatThrownBy(() -> ExporterLauncher.start("demo", 0, new String[] {"--confg", "x"}, Map.of(), factory))
        .hasMessageStartingWith("--confg: unknown flag");
  }
}
