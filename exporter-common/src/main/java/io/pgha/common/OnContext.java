package io.pgha.common;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs collectors on a context other than the engine's: what they fetch, parse and convert happens
 * on that context's event loop, and their results are handed back on the caller's. An exporter
 * watching many independent targets (exporter-patroni's scopes) gives each its own context, so a
 * scrape of a hundred of them spreads over the event loops instead of queueing on one.
 *
 * <p>Everything a target's collectors share (its {@link ScrapeMemo}, its client) must then be
 * touched on that target's context only: give all its collectors the same one.
 */
public final class OnContext {
  private OnContext() {}

  /** {@code collector} (a group's parts too) run on {@code context}. */
  public static ScrapeCollector wrap(Context context, ScrapeCollector collector) {
    Objects.requireNonNull(context);
    return collector instanceof ScrapeCollectorGroup group ? new Group(context, group) : new Single(context, collector);
  }

  /** Starts {@code work} on {@code target}; completes on the calling context (if any) with its outcome. */
  static <T> Future<T> hop(Context target, Supplier<Future<T>> work) {
    Context caller = Vertx.currentContext();
    Promise<T> result = Promise.promise();
    target.runOnContext(v -> {
      Future<T> f;
      try {
        f = Objects.requireNonNull(work.get(), "the collector returned no future");
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> {
        if (caller == null || caller == target) {
          result.handle(ar);
        } else {
          caller.runOnContext(x -> result.handle(ar));
        }
      });
    });
    return result.future();
  }

  private record Single(Context context, ScrapeCollector collector) implements ScrapeCollector {
    @Override
    public String name() {
      return collector.name();
    }

    @Override
    public Future<List<MetricSnapshot>> collect(ScrapeContext scrape) {
      return hop(context, () -> collector.collect(scrape));
    }
  }

  private record Group(Context context, ScrapeCollectorGroup group) implements ScrapeCollectorGroup {
    @Override
    public String name() {
      return group.name();
    }

    @Override
    public Future<List<ScrapeCollector>> parts(ScrapeContext scrape) {
      return hop(context, () -> group.parts(scrape)).map(parts -> parts.stream()
          .map(part -> wrap(context, part)).toList());
    }
  }
}
