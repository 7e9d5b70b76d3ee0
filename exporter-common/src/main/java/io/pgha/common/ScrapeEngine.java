package io.pgha.common;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every collector of one exporter concurrently under one deadline and assembles the scrape.
 *
 * <p>A collector that fails or overruns shows as {@code pgha_<exporter>_collector_success 0}; the
 * others are still served. Scrapes arriving while a collection is in flight share it (single
 * flight), so several Prometheus servers do not multiply the load on the monitored systems.
 *
 * <p>Collectors run on the engine's context (the one it was created on, which is the exporter's
 * verticle), so what they share within a scrape ({@link ScrapeMemo}) is confined to one thread.
 */
public final class ScrapeEngine {
  private static final Logger LOG = LoggerFactory.getLogger(ScrapeEngine.class);

  private final Vertx vertx;
  private final Context context;
  private final String exporter;
  private final String version;
  private final CoreMetrics metrics;
  private final List<ScrapeCollector> collectors;
  private final ProblemLog problems = new ProblemLog(LOG);
  private InFlight inFlight;

  public ScrapeEngine(Vertx vertx, String exporter, String version, List<ScrapeCollector> collectors) {
    this.vertx = Objects.requireNonNull(vertx);
    this.context = vertx.getOrCreateContext();
    this.exporter = Objects.requireNonNull(exporter);
    this.metrics = CoreMetrics.of(exporter);
    this.version = Objects.requireNonNull(version);
    this.collectors = List.copyOf(collectors);
    long distinct = this.collectors.stream().map(ScrapeCollector::name).distinct().count();
    if (distinct != this.collectors.size()) {
      throw new IllegalArgumentException("collector names must be unique: " + this.collectors);
    }
  }

  public String exporter() {
    return exporter;
  }

  /**
   * Collects now, or joins the collection already in flight if that one ends no later than this
   * scrape's own deadline (a scrape with a shorter timeout must not wait for a longer one). Never
   * fails.
   */
  public Future<ScrapeResult> scrape(long timeoutMillis) {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    Promise<ScrapeResult> promise;
    synchronized (this) {
      if (inFlight != null && inFlight.deadlineNanos() - deadline <= 0) {
        return inFlight.result();
      }
      promise = Promise.promise();
      inFlight = new InFlight(promise.future(), deadline);
    }
    promise.future().onComplete(ar -> {
      synchronized (this) {
        if (inFlight != null && inFlight.result() == promise.future()) {
          inFlight = null;
        }
      }
    });
    context.runOnContext(v -> guarded(() -> collectAll(timeoutMillis), "collectAll()").onComplete(promise));
    return promise.future();
  }

  private Future<ScrapeResult> collectAll(long timeoutMillis) {
    long start = System.nanoTime();
    ScrapeContext context = new ScrapeContext(vertx, start + timeoutMillis * 1_000_000L);
    List<Future<List<Outcome>>> runs = new ArrayList<>(collectors.size());
    for (ScrapeCollector collector : collectors) {
      runs.add(collector instanceof ScrapeCollectorGroup group
          ? runGroup(group, context, timeoutMillis)
          : run(collector, context, timeoutMillis).map(List::of));
    }
    return Future.join(runs).transform(ignored -> {
      context.end();
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<List<Outcome>> f : runs) {
        outcomes.addAll(f.result());
      }
      List<MetricSnapshot> all = new ArrayList<>();
      List<GaugeDataPointSnapshot> success = new ArrayList<>();
      List<GaugeDataPointSnapshot> duration = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (Outcome o : outcomes) {
        if (!seen.add(o.collector())) {
          LOG.error("collector name {} is used twice in one scrape; the second is dropped", o.collector());
          continue;
        }
        all.addAll(o.snapshots());
        success.add(metrics.collectorSuccess().point(o.ok() ? 1 : 0, o.collector()));
        duration.add(metrics.collectorDuration().point(o.seconds(), o.collector()));
      }
      try {
        all.add(metrics.collectorSuccess().snapshot(success));
        all.add(metrics.collectorDuration().snapshot(duration));
        all.add(metrics.scrapeDuration().snapshot((System.nanoTime() - start) / 1e9));
        all.add(CoreMetrics.BUILD_INFO.snapshot(1, exporter, version));
        ScrapeResult result = ScrapeResult.of(all);
        if (result.duplicates().isEmpty()) {
          problems.recovered("series of " + exporter, "no longer repeated");
        } else {
          problems.failed("series of " + exporter, "repeated by two collections, the later left out: "
              + String.join(", ", result.duplicates().subList(0, Math.min(5, result.duplicates().size())))
              + (result.duplicates().size() > 5 ? " and " + (result.duplicates().size() - 5) + " more" : ""));
        }
        return Future.succeededFuture(result);
      } catch (RuntimeException e) {
        LOG.error("could not assemble the scrape of {}", exporter, e);
        return Future.failedFuture(e);
      }
    });
  }

  /** The group's own outcome (could its parts be determined?) followed by one per part. */
  private Future<List<Outcome>> runGroup(ScrapeCollectorGroup group, ScrapeContext context, long timeoutMillis) {
    long start = System.nanoTime();
    Future<List<ScrapeCollector>> parts = guarded(() -> group.parts(context), "parts()");
    return parts.timeout(context.remainingMillis(), TimeUnit.MILLISECONDS).transform(ar -> {
      Outcome own = outcome(group.name(), start, ar.map(ignored -> List.<MetricSnapshot>of()), timeoutMillis);
      if (ar.failed()) {
        return Future.succeededFuture(List.of(own));
      }
      List<Future<Outcome>> partRuns = new ArrayList<>();
      for (ScrapeCollector part : ar.result()) {
        partRuns.add(run(part, context, timeoutMillis));
      }
      return Future.join(partRuns).transform(done -> {
        List<Outcome> all = new ArrayList<>(partRuns.size() + 1);
        all.add(own);
        partRuns.forEach(f -> all.add(f.result()));
        return Future.succeededFuture(all);
      });
    });
  }

  private Future<Outcome> run(ScrapeCollector collector, ScrapeContext context, long timeoutMillis) {
    long start = System.nanoTime();
    Future<List<MetricSnapshot>> result = guarded(() -> collector.collect(context), "collect()");
    return result.timeout(context.remainingMillis(), TimeUnit.MILLISECONDS)
        .transform(ar -> Future.succeededFuture(outcome(collector.name(), start, ar, timeoutMillis)));
  }

  /** A collector that throws or returns no future fails its own run, not the scrape. */
  private static <T> Future<T> guarded(Supplier<Future<T>> call, String what) {
    try {
      return Objects.requireNonNull(call.get(), what + " returned null");
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Outcome outcome(String name, long start, AsyncResult<List<MetricSnapshot>> ar, long timeoutMillis) {
    double seconds = (System.nanoTime() - start) / 1e9;
    if (ar.succeeded()) {
      problems.recovered("collector " + name, "succeeds again");
      return new Outcome(name, true, seconds, ar.result());
    }
    problems.failed("collector " + name, describe(ar.cause(), timeoutMillis));
    return new Outcome(name, false, seconds, List.of());
  }

  private static String describe(Throwable t, long timeoutMillis) {
    if (t instanceof TimeoutException) {
      return "did not finish within the scrape deadline of " + timeoutMillis + " ms";
    }
    return "failed: " + ErrorText.describe(t);
  }

  private record InFlight(Future<ScrapeResult> result, long deadlineNanos) {}

  private record Outcome(String collector, boolean ok, double seconds, List<MetricSnapshot> snapshots) {}
}
