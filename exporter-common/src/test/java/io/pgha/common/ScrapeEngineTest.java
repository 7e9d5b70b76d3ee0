package io.pgha.common;

import static io.pgha.common.MetricFamily.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScrapeEngineTest {
  private static final GaugeFamily VALUE = gauge("pgha_test_value", "A value.");
  private static final GaugeFamily MEMBER_UP = gauge("pgha_test_member_up", "Up.", "member");

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  private static ScrapeCollector collector(String name, java.util.function.Supplier<Future<List<MetricSnapshot>>> body) {
    return DemoExporter.collector(name, context -> body.get());
  }

  @Test
  void failingHangingAndThrowingCollectorsDoNotSpoilTheScrape() throws Exception {
    ScrapeEngine engine = new ScrapeEngine(vertx, "test", "1.2.3", List.of(
        collector("good", () -> Future.succeededFuture(List.of(VALUE.snapshot(42)))),
        collector("failing", () -> Future.failedFuture(new IllegalStateException("garbage from target"))),
        collector("hanging", () -> Promise.<List<MetricSnapshot>>promise().future()),
        collector("throwing", () -> {
          throw new IllegalArgumentException("bug");
        })));

    String text = TextExposition.render(engine.scrape(300).await(5, TimeUnit.SECONDS));

    assertThat(text).contains("pgha_test_value 42.0\n")
        .contains("pgha_test_collector_success{collector=\"good\"} 1.0\n")
        .contains("pgha_test_collector_success{collector=\"failing\"} 0.0\n")
        .contains("pgha_test_collector_success{collector=\"hanging\"} 0.0\n")
        .contains("pgha_test_collector_success{collector=\"throwing\"} 0.0\n")
        .contains("pgha_exporter_build_info{exporter=\"test\",version=\"1.2.3\"} 1.0\n")
        .contains("# TYPE pgha_test_collector_duration_seconds gauge\n")
        .contains("# TYPE pgha_test_scrape_duration_seconds gauge\n");
    double scrapeSeconds = Double.parseDouble(text.lines()
        .filter(l -> l.startsWith("pgha_test_scrape_duration_seconds "))
        .findFirst().orElseThrow().split(" ")[1]);
    // The deadline is counted from the start of the scrape (whole milliseconds), not from each collector's start.
    assertThat(scrapeSeconds).as("the hanging collector is cut at the deadline, not before").isGreaterThanOrEqualTo(0.299);
  }

  @Test
  void aScrapeIsOverOnceItsResultIsAssembledNotBefore() throws Exception {
    List<ScrapeContext> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Boolean> overWhileCollecting = new java.util.concurrent.CopyOnWriteArrayList<>();
    ScrapeEngine engine = new ScrapeEngine(vertx, "test", "1.2.3", List.of(
        DemoExporter.collector("watching", context -> {
          seen.add(context);
          overWhileCollecting.add(context.over());
          return Future.succeededFuture(List.of(VALUE.snapshot(1)));
        })));

    engine.scrape(1000).await(5, TimeUnit.SECONDS);
    engine.scrape(1000).await(5, TimeUnit.SECONDS);

    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).as("one context per scrape").isNotSameAs(seen.get(1));
    assertThat(overWhileCollecting).containsExactly(false, false);
    assertThat(seen).allMatch(ScrapeContext::over);
  }

  @Test
  void concurrentScrapesShareOneCollection() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Promise<List<MetricSnapshot>> gate = Promise.promise();
    ScrapeEngine engine = new ScrapeEngine(vertx, "test", "dev", List.of(collector("slow", () -> {
      runs.incrementAndGet();
      return gate.future();
    })));

    Future<?> first = engine.scrape(5_000);
    Future<?> second = engine.scrape(5_000);
    assertThat(second).isSameAs(first);
    gate.complete(List.of());
    first.await(5, TimeUnit.SECONDS);
    assertThat(runs).hasValue(1);

    engine.scrape(5_000).await(5, TimeUnit.SECONDS);
    assertThat(runs).as("a scrape after the shared one completed collects anew").hasValue(2);
  }

  private static ScrapeCollectorGroup group(String name, Future<List<ScrapeCollector>> parts) {
    return new FixedGroup(name, parts);
  }

  /** A group whose parts are known (or fail) before the scrape. */
  private record FixedGroup(String name, Future<List<ScrapeCollector>> known) implements ScrapeCollectorGroup {
    @Override
    public Future<List<ScrapeCollector>> parts(ScrapeContext context) {
      return known;
    }
  }

  @Test
  void eachPartOfAGroupHasItsOwnSuccessSeries() throws Exception {
    ScrapeEngine engine = new ScrapeEngine(vertx, "test", "dev", List.of(
        group("member:a", Future.succeededFuture(List.of(
            collector("member:a/m1", () -> Future.succeededFuture(List.of(MEMBER_UP.snapshot(1, "m1")))),
            collector("member:a/m2", () -> Future.failedFuture(new IllegalStateException("HTML instead of JSON"))),
            collector("member:a/m3", () -> Promise.<List<MetricSnapshot>>promise().future()),
            collector("member:a/m4", () -> Future.succeededFuture(List.of(MEMBER_UP.snapshot(0, "m4"))))))),
        group("member:b", Future.failedFuture(new IllegalStateException("no member list"))),
        group("member:c", Promise.<List<ScrapeCollector>>promise().future())));

    String text = TextExposition.render(engine.scrape(300).await(5, TimeUnit.SECONDS));

    assertThat(text).contains("""
        # HELP pgha_test_member_up Up.
        # TYPE pgha_test_member_up gauge
        pgha_test_member_up{member="m1"} 1.0
        pgha_test_member_up{member="m4"} 0.0
        """).contains("""
        # TYPE pgha_test_collector_success gauge
        pgha_test_collector_success{collector="member:a"} 1.0
        pgha_test_collector_success{collector="member:a/m1"} 1.0
        pgha_test_collector_success{collector="member:a/m2"} 0.0
        pgha_test_collector_success{collector="member:a/m3"} 0.0
        pgha_test_collector_success{collector="member:a/m4"} 1.0
        pgha_test_collector_success{collector="member:b"} 0.0
        pgha_test_collector_success{collector="member:c"} 0.0
        """);
  }

  @Test
  void aScrapeWithAShorterDeadlineDoesNotWaitForALongerOneInFlight() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    ScrapeEngine engine = new ScrapeEngine(vertx, "test", "dev", List.of(collector("hanging", () -> {
      runs.incrementAndGet();
      return Promise.<List<MetricSnapshot>>promise().future();
    })));

    Future<?> patient = engine.scrape(60_000);
    Future<?> hurried = engine.scrape(200);
    assertThat(hurried).isNotSameAs(patient);
    Future<?> alsoHurried = engine.scrape(5_000);
    assertThat(alsoHurried).as("a later deadline joins the earlier-ending collection").isSameAs(hurried);

    String text = TextExposition.render((ScrapeResult) hurried.await(5, TimeUnit.SECONDS));
    assertThat(text).contains("pgha_test_collector_success{collector=\"hanging\"} 0.0");
    assertThat(patient.isComplete()).isFalse();
    assertThat(runs).hasValue(2);
  }

  @Test
  void deadlineFollowsPrometheusHeaderWithAMargin() {
    assertThat(ExporterServer.deadlineMillis("10", 4000)).isEqualTo(9750);
    assertThat(ExporterServer.deadlineMillis("0.2", 4000)).isEqualTo(ExporterServer.MIN_DEADLINE_MILLIS);
    assertThat(ExporterServer.deadlineMillis(null, 4000)).isEqualTo(4000);
    assertThat(ExporterServer.deadlineMillis("soon", 4000)).isEqualTo(4000);
    assertThat(ExporterServer.deadlineMillis("-1", 4000)).isEqualTo(4000);
  }
}
