package io.pgha.common;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A value an exporter fetches in the background, at most once per {@code interval}, so that a scrape
 * is served from memory instead of waiting for its source. Freshness stays honest: a scrape that
 * finds the value older than {@code maxAge} (the background fell behind, or the source is slow)
 * waits for a refresh within its own deadline, and fails saying how old the value is when none
 * comes in time; it never gets old state passed off as current.
 *
 * <p>Confined to its context, the one it was created on unless given (an exporter's verticle, or a
 * source's own context, where the collectors reading it run);
 * {@link #latest()} may be read from anywhere.
 */
public final class Refreshed<T> implements AutoCloseable {

  /** A fetched value and when its fetch started (the age counts from then: the value is at least that old). */
  public record Reading<T>(T value, long startedAtMillis, long startedNanos) {
    public long ageMillis() {
      return (System.nanoTime() - startedNanos) / 1_000_000L;
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final String what;
  private final long intervalMillis;
  private final long maxAgeMillis;
  private final long fetchTimeoutMillis;
  private final Function<ScrapeContext, Future<T>> fetch;
  private volatile Reading<T> latest;
  private Future<Reading<T>> inFlight;
  private volatile long timer = -1;
  private volatile boolean closed;

  /**
   * @param fetch reads the source once, within the deadline of the {@link ScrapeContext} it is given
   *     ({@code fetchTimeout}); a failed fetch keeps the previous value, which then ages
   */
  public Refreshed(Vertx vertx, String what, Duration interval, Duration maxAge, Duration fetchTimeout,
      Function<ScrapeContext, Future<T>> fetch) {
    this(vertx, vertx.getOrCreateContext(), what, interval, maxAge, fetchTimeout, fetch);
  }

  /** As above, confined to {@code context} rather than the caller's (a source kept on a context of its own). */
  public Refreshed(Vertx vertx, Context context, String what, Duration interval, Duration maxAge, Duration fetchTimeout,
      Function<ScrapeContext, Future<T>> fetch) {
    this.vertx = vertx;
    this.context = context;
    this.what = what;
    this.intervalMillis = interval.toMillis();
    this.maxAgeMillis = maxAge.toMillis();
    this.fetchTimeoutMillis = fetchTimeout.toMillis();
    this.fetch = fetch;
  }

  /** Fetches now, then every interval; returns at once. */
  public Refreshed<T> start() {
    context.runOnContext(v -> {
      if (!closed) {
        refresh();
        timer = vertx.setPeriodic(intervalMillis, id -> refresh());
      }
    });
    return this;
  }

  /** The last value fetched, if any, however old. */
  public Optional<Reading<T>> latest() {
    return Optional.ofNullable(latest);
  }

  /**
   * For a scrape (on the creating context): the latest value if it is no older than maxAge; else
   * the refresh in flight (or a new one), waited for until the scrape's deadline. Fails when even
   * that does not give a value young enough, naming the age of what there is.
   */
  public Future<Reading<T>> fresh(ScrapeContext scrape) {
    Reading<T> now = latest;
    if (now != null && now.ageMillis() <= maxAgeMillis) {
      return Future.succeededFuture(now);
    }
    return refresh().timeout(scrape.remainingMillis(), TimeUnit.MILLISECONDS).transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(ar.result()); // as young as it gets: fetched for this scrape
      }
      Reading<T> got = latest;
      String age = got == null ? "never fetched" : "last fetched " + got.ageMillis() + " ms ago";
      String why = ar.failed() && !(ar.cause() instanceof TimeoutException) ? ": " + ErrorText.describe(ar.cause()) : "";
      return Future.failedFuture(new IllegalStateException(what + " is stale (" + age + ", allowed "
          + maxAgeMillis + " ms) and no refresh finished within the scrape's deadline" + why));
    });
  }

  /** Starts a fetch unless one is in flight (the rate stays bounded however many scrapes ask). */
  private Future<Reading<T>> refresh() {
    if (inFlight != null) {
      return inFlight;
    }
    if (closed) {
      return Future.failedFuture(what + " is closed");
    }
    long startedNanos = System.nanoTime();
    long startedMillis = System.currentTimeMillis();
    Promise<Reading<T>> done = Promise.promise();
    inFlight = done.future();
    Future<T> fetched;
    try {
      fetched = fetch.apply(ScrapeContext.withTimeout(vertx, fetchTimeoutMillis));
    } catch (RuntimeException e) {
      fetched = Future.failedFuture(e);
    }
    fetched.timeout(fetchTimeoutMillis, TimeUnit.MILLISECONDS).onComplete(ar -> {
      inFlight = null;
      if (ar.succeeded()) {
        Reading<T> r = new Reading<>(ar.result(), startedMillis, startedNanos);
        latest = r;
        done.complete(r);
      } else {
        done.fail(ar.cause());
      }
    });
    return done.future();
  }

  @Override
  public void close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
