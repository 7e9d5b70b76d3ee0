package io.pgha.common;

import static io.pgha.common.MetricFamily.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExporterServerTest {
  private static final GaugeFamily COLLECTION = gauge("pgha_test_collection", "Which collection this is.");
  private static final String OPENMETRICS = "application/openmetrics-text;version=1.0.0";
  private static final String TEXT = "text/plain;version=0.0.4";

  private Vertx vertx;
  private HttpClientAgent client;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  private record Answer(String contentType, String body) {}

  private Future<Answer> scrape(int port, String accept) {
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
            .setURI("/metrics").putHeader("Accept", accept))
        .compose(HttpClientRequest::send)
        .compose(r -> r.body().map(b -> new Answer(r.getHeader("content-type"), b.toString())));
  }

  @Test
  void scrapesSharingACollectionShareItsPageInEachFormatAndTheNextCollectionIsRenderedAnew() throws Exception {
    AtomicInteger collections = new AtomicInteger();
    List<Promise<List<MetricSnapshot>>> gates = new ArrayList<>();
    ScrapeCollector gated = DemoExporter.collector("gated", context -> {
      int n = collections.incrementAndGet();
      Promise<List<MetricSnapshot>> gate = Promise.promise();
      gates.add(gate);
      return gate.future().map(ignored -> List.of(COLLECTION.snapshot(n)));
    });
    // Built and served on one verticle context, as ExporterVerticle does.
    ExporterServer[] server = new ExporterServer[1];
    vertx.deployVerticle(new io.vertx.core.VerticleBase() {
      @Override
      public Future<?> start() {
        ScrapeEngine engine = new ScrapeEngine(vertx, "test", "dev", List.of(gated));
        server[0] = new ExporterServer(engine,
            new WebSettings("127.0.0.1", 0, "/metrics", Optional.empty(), Duration.ofSeconds(5)), "<html></html>",
            WebConfig.plain(new HttpServerOptions()));
        return server[0].listen(vertx);
      }
    }).await(10, TimeUnit.SECONDS);
    int port = server[0].actualPort();

    List<Future<Answer>> first = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      first.add(scrape(port, i % 2 == 0 ? OPENMETRICS : TEXT));
    }
    // All eight wait for a collection before it is let finish.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server[0].scrapesWaiting() == 8);
    assertThat(collections).as("eight scrapes, one collection").hasValue(1);
    gates.get(0).complete(List.of());
    List<Answer> answers = new ArrayList<>();
    for (Future<Answer> f : first) {
      answers.add(f.await(5, TimeUnit.SECONDS));
    }

    List<Answer> openMetrics = answers.stream().filter(a -> a.contentType().startsWith("application/openmetrics-text")).toList();
    List<Answer> text = answers.stream().filter(a -> a.contentType().startsWith("text/plain")).toList();
    assertThat(openMetrics).hasSize(4);
    assertThat(text).hasSize(4);
    assertThat(openMetrics).allSatisfy(a -> assertThat(a.body()).isEqualTo(openMetrics.get(0).body())
        .contains("pgha_test_collection 1.0\n").endsWith("# EOF\n"));
    assertThat(text).allSatisfy(a -> assertThat(a.body()).isEqualTo(text.get(0).body())
        .contains("pgha_test_collection 1.0\n").doesNotContain("# EOF"));
    assertThat(server[0].pagesRendered()).as("one page per format for the eight scrapes").isEqualTo(2);

    Future<Answer> next = scrape(port, OPENMETRICS);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> collections.get() == 2);
    gates.get(1).complete(List.of());
    assertThat(next.await(5, TimeUnit.SECONDS).body())
        .as("a scrape after the shared collection gets a page of its own collection")
        .contains("pgha_test_collection 2.0\n");
    assertThat(server[0].pagesRendered()).isEqualTo(3);
  }

  @Test
  void aPageWithWhatPageWriterDoesNotWriteIsWrittenByClientJava() throws Exception {
    ScrapeCollector mixed = DemoExporter.collector("mixed", context -> Future.succeededFuture(List.of(
        COLLECTION.snapshot(7),
        new InfoSnapshot(new MetricMetadata("pgha_test_origin", "Where it came from."),
            List.of(new InfoDataPointSnapshot(Labels.of("scope", "main")))))));
    ExporterServer[] server = new ExporterServer[1];
    vertx.deployVerticle(new io.vertx.core.VerticleBase() {
      @Override
      public Future<?> start() {
        server[0] = new ExporterServer(new ScrapeEngine(vertx, "test", "dev", List.of(mixed)),
            new WebSettings("127.0.0.1", 0, "/metrics", Optional.empty(), Duration.ofSeconds(5)), "<html></html>",
            WebConfig.plain(new HttpServerOptions()));
        return server[0].listen(vertx);
      }
    }).await(10, TimeUnit.SECONDS);
    int port = server[0].actualPort();

    Answer om = scrape(port, OPENMETRICS).await(5, TimeUnit.SECONDS);
    Answer text = scrape(port, TEXT).await(5, TimeUnit.SECONDS);
    assertThat(om.contentType()).startsWith("application/openmetrics-text");
    assertThat(om.body()).contains("# TYPE pgha_test_origin info\n", "pgha_test_origin_info{scope=\"main\"} 1\n",
        "pgha_test_collection 7.0\n").endsWith("# EOF\n");
    assertThat(text.body()).contains("# TYPE pgha_test_origin_info gauge\n", "pgha_test_origin_info{scope=\"main\"} 1\n", "pgha_test_collection 7.0\n");
  }
}
