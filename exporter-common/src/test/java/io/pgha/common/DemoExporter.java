package io.pgha.common;

import static io.pgha.common.MetricFamily.gauge;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;

/**
 * A small exporter for the launcher's tests: section {@code demo: {scope: X}} serves
 * {@code pgha_demo_up{scope="X"} 1}, and a page {@code /scope} answering X.
 */
public final class DemoExporter {
  public static final GaugeFamily UP = gauge("pgha_demo_up", "Up.", "scope");

  /** The {@code demo} section. */
  public record Config(String scope) {}

  private DemoExporter() {}

  public static ExporterSpec<Config> spec() {
    return spec((vertx, config) -> new CollectorSet().add(collector("demo",
        context -> Future.succeededFuture(List.of(UP.snapshot(1, config.scope())))))
        .page("/scope", ctx -> ctx.response().putHeader("content-type", "text/plain").end(config.scope() + "\n")));
  }

  public static ExporterSpec<Config> spec(ExporterSpec.Factory<Config> factory) {
    return new ExporterSpec<>("demo", 0, (section, env) -> {
      section.allowOnly(java.util.Set.of("scope", "password"));
      return new Config(section.optionalString("scope").orElse("none"));
    }, factory);
  }

  public static ScrapeCollector collector(String name, Function<ScrapeContext, Future<List<MetricSnapshot>>> body) {
    return new Named(name, body);
  }

  /** A collector that is only its name and what it does. */
  private record Named(String name, Function<ScrapeContext, Future<List<MetricSnapshot>>> body) implements ScrapeCollector {
    @Override
    public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
      return body.apply(context);
    }
  }
}
