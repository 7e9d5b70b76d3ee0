package io.pgha.common;

import static io.pgha.common.Snapshots.gauge;
import static io.pgha.common.Snapshots.gaugePoint;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every collector of one exporter concurrently under one deadline and assembles the scrape.
 *
 * <p>A collector that fails or overruns shows as {@code pgha_<exporter>_collector_success 0}; the
 * others are still served. Scrapes arriving while a collection is in flight share it (single
 * flight), so several Prometheus servers do not multiply the load on the monitored systems.
 */
public final class ScrapeEngine {
  private static final Logger LOG = LoggerFactory.getLogger(ScrapeEngine.class);

  private final Vertx vertx;
  private final String exporter;
  private final String version;
  private final List<ScrapeCollector> collectors;
  private final Map<String, String> lastError = new ConcurrentHashMap<>();
  private Future<MetricSnapshots> inFlight;

  public ScrapeEngine(Vertx vertx, String exporter, String version, List<ScrapeCollector> collectors) {
    this.vertx = Objects.requireNonNull(vertx);
    this.exporter = Objects.requireNonNull(exporter);
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

  /** Collects now, or joins the collection already in flight. Never fails. */
  public Future<MetricSnapshots> scrape(long timeoutMillis) {
    Promise<MetricSnapshots> promise;
    synchronized (this) {
      if (inFlight != null) {
        return inFlight;
      }
      promise = Promise.promise();
      inFlight = promise.future();
    }
    promise.future().onComplete(ar -> {
      synchronized (this) {
        inFlight = null;
      }
    });
    collectAll(timeoutMillis).onComplete(promise);
    return promise.future();
  }

  private Future<MetricSnapshots> collectAll(long timeoutMillis) {
    long start = System.nanoTime();
    ScrapeContext context = new ScrapeContext(vertx, start + timeoutMillis * 1_000_000L);
    List<Future<Outcome>> outcomes = new ArrayList<>(collectors.size());
    for (ScrapeCollector collector : collectors) {
      outcomes.add(run(collector, context, timeoutMillis));
    }
    return Future.join(outcomes).transform(ignored -> {
      List<MetricSnapshot> all = new ArrayList<>();
      List<GaugeDataPointSnapshot> success = new ArrayList<>();
      List<GaugeDataPointSnapshot> duration = new ArrayList<>();
      for (Future<Outcome> f : outcomes) {
        Outcome o = f.result();
        all.addAll(o.snapshots());
        success.add(gaugePoint(o.ok() ? 1 : 0, "collector", o.collector()));
        duration.add(gaugePoint(o.seconds(), "collector", o.collector()));
      }
      String prefix = "pgha_" + exporter;
      all.add(gauge(prefix + "_collector_success",
          "1 if the collector's last run succeeded within the scrape deadline, 0 if it failed or overran.",
          success));
      all.add(gauge(prefix + "_collector_duration_seconds",
          "How long the collector's last run took, in seconds.", duration));
      all.add(gauge(prefix + "_scrape_duration_seconds",
          "How long the whole collection of this scrape took, in seconds.",
          gaugePoint((System.nanoTime() - start) / 1e9)));
      all.add(gauge("pgha_exporter_build_info", "Build information of the pgha exporter; always 1.",
          gaugePoint(1, "exporter", exporter, "version", version)));
      try {
        return Future.succeededFuture(Snapshots.merge(all));
      } catch (RuntimeException e) {
        LOG.error("could not assemble the scrape of {}", exporter, e);
        return Future.failedFuture(e);
      }
    });
  }

  private Future<Outcome> run(ScrapeCollector collector, ScrapeContext context, long timeoutMillis) {
    long start = System.nanoTime();
    Future<List<MetricSnapshot>> result;
    try {
      result = Objects.requireNonNull(collector.collect(context), "collect() returned null");
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.timeout(timeoutMillis, TimeUnit.MILLISECONDS).transform(ar -> {
      double seconds = (System.nanoTime() - start) / 1e9;
      if (ar.succeeded()) {
        if (lastError.remove(collector.name()) != null) {
          LOG.info("collector {} recovered", collector.name());
        }
        return Future.succeededFuture(new Outcome(collector.name(), true, seconds, ar.result()));
      }
      String reason = describe(ar.cause(), timeoutMillis);
      if (!reason.equals(lastError.put(collector.name(), reason))) {
        LOG.warn("collector {} failed: {}", collector.name(), reason);
      }
      return Future.succeededFuture(new Outcome(collector.name(), false, seconds, List.of()));
    });
  }

  private static String describe(Throwable t, long timeoutMillis) {
    if (t instanceof TimeoutException) {
      return "did not finish within the scrape deadline of " + timeoutMillis + " ms";
    }
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private record Outcome(String collector, boolean ok, double seconds, List<MetricSnapshot> snapshots) {}
}
