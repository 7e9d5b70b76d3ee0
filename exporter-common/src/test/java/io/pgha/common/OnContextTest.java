package io.pgha.common;

import static io.pgha.common.MetricFamily.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OnContextTest {
  private static final GaugeFamily UP = gauge("pgha_test_up", "Up.", "target");

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void eachTargetsCollectorsRunOnItsContextAndTheEngineGetsTheirResultsOnItsOwn() throws Exception {
    Map<String, Context> ranOn = new ConcurrentHashMap<>();
    Map<String, Context> completedOn = new ConcurrentHashMap<>();
    Context a = ((VertxInternal) vertx).createEventLoopContext();
    Context b = ((VertxInternal) vertx).createEventLoopContext();
    ScrapeCollector onA = OnContext.wrap(a, collector("a", ranOn));
    ScrapeCollector onB = OnContext.wrap(b, collector("b", ranOn));
    ScrapeCollectorGroup group = new ScrapeCollectorGroup() {
      @Override
      public String name() {
        return "group";
      }

      @Override
      public Future<List<ScrapeCollector>> parts(ScrapeContext context) {
        ranOn.put("group.parts", Vertx.currentContext());
        return Future.succeededFuture(List.of(collector("group/part", ranOn)));
      }
    };
    ScrapeCollector groupOnB = OnContext.wrap(b, group);
    ScrapeCollector throwing = OnContext.wrap(a, DemoExporter.collector("throwing", context -> {
      throw new IllegalStateException("bug");
    }));
    ScrapeEngine[] engine = new ScrapeEngine[1];
    Context engineContext = ((VertxInternal) vertx).createEventLoopContext();
    engineContext.runOnContext(v -> engine[0] = new ScrapeEngine(vertx, "test", "dev", List.of(
        observed(onA, completedOn), observed(onB, completedOn), groupOnB, throwing)));
    org.awaitility.Awaitility.await().until(() -> engine[0] != null);

    String text = TextExposition.render(engine[0].scrape(2_000).await(5, TimeUnit.SECONDS));

    assertThat(groupOnB).isInstanceOf(ScrapeCollectorGroup.class);
    assertThat(ranOn).containsEntry("a", a).containsEntry("b", b)
        .containsEntry("group.parts", b).containsEntry("group/part", b);
    assertThat(completedOn).as("results are handed back on the engine's context")
        .containsEntry("a", engineContext).containsEntry("b", engineContext);
    assertThat(text).contains("pgha_test_up{target=\"a\"} 1.0\n").contains("pgha_test_up{target=\"b\"} 1.0\n")
        .contains("pgha_test_up{target=\"group/part\"} 1.0\n")
        .contains("pgha_test_collector_success{collector=\"group/part\"} 1.0\n")
        .contains("pgha_test_collector_success{collector=\"throwing\"} 0.0\n");
  }

  private static ScrapeCollector collector(String name, Map<String, Context> ranOn) {
    return DemoExporter.collector(name, context -> {
      ranOn.put(name, Vertx.currentContext());
      return Future.succeededFuture(List.<MetricSnapshot>of(UP.snapshot(1, name)));
    });
  }

  /** {@code inner}, noting on which context its result arrived. */
  private static ScrapeCollector observed(ScrapeCollector inner, Map<String, Context> completedOn) {
    return DemoExporter.collector(inner.name(), context -> inner.collect(context)
        .onComplete(ar -> completedOn.put(inner.name(), Vertx.currentContext())));
  }
}
