package io.pgha.postgres;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads the targets' blocking JDBC calls run on ({@code pg-jdbc-N}).
 *
 * <p>A few threads take the targets' calls in turn: a scrape of 50 targets gains nothing from 50
 * threads on a machine of a few cores, and each thread costs its stack and buffers (about 130 KB
 * resident). A call not ended {@code slowAfter} after it was made (running or still queued) stops
 * counting against them: a thread is added until it ends, so a target that hangs (a silent server,
 * a lost network) holds one thread of its own and the others are still served in time, as they were
 * with a thread per target. Threads idle for a minute end; the pool starts them again when calls come.
 *
 * <p>A call's outcome is delivered on the Vert.x context that made the call.
 */
final class JdbcWorkers implements AutoCloseable {
  /** How long an idle thread is kept. */
  private static final long KEEP_ALIVE_SECONDS = 60;

  private final Vertx vertx;
  private final int threads;
  private final long slowAfterMillis;
  private final ThreadPoolExecutor pool;
  /** Calls not ended slowAfter after they were made, each with a thread added for it. */
  private int slow;

  /**
   * @param threads how many calls run at once, slow ones aside
   * @param slowAfter how long after it is made a call that has not ended gets a thread added beside it
   */
  JdbcWorkers(Vertx vertx, String name, int threads, Duration slowAfter) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.vertx = vertx;
    this.threads = threads;
    this.slowAfterMillis = Math.max(1, slowAfter.toMillis());
    AtomicInteger ids = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, name + "-" + ids.getAndIncrement());
          t.setDaemon(true); // a call stuck in the driver never keeps the process from exiting
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
  }

  /** How many threads the targets' calls may use at once without slow ones: a few per core, at most one per target. */
  static int threadsFor(int targets) {
    return Math.max(1, Math.min(targets, Math.max(2, 2 * Runtime.getRuntime().availableProcessors())));
  }

  /** Runs {@code call} on a worker; its outcome arrives on the calling context. */
  <T> Future<T> run(Callable<T> call) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    // 0 queued or running, 1 ended, 2 running past slowAfter (a thread was added for it)
    AtomicInteger state = new AtomicInteger();
    long timer = vertx.setTimer(slowAfterMillis, id -> {
      if (state.compareAndSet(0, 2)) {
        resize(+1);
      }
    });
    try {
      pool.execute(() -> {
        T result = null;
        Throwable failure = null;
        try {
          result = call.call();
        } catch (Throwable t) {
          failure = t;
        } finally {
          if (state.getAndSet(1) == 2) {
            resize(-1);
          } else {
            vertx.cancelTimer(timer);
          }
        }
        T r = result;
        Throwable f = failure;
        context.runOnContext(v -> {
          if (f == null) {
            promise.complete(r);
          } else {
            promise.fail(f);
          }
        });
      });
    } catch (RejectedExecutionException e) {
      vertx.cancelTimer(timer);
      return Future.failedFuture(new IllegalStateException("the JDBC workers are closed", e));
    }
    return promise.future();
  }

  /** Threads now (busy or idle), for the tests. */
  int threadCount() {
    return pool.getPoolSize();
  }

  /** How many calls may run at once now, for the tests. */
  synchronized int capacity() {
    return threads + slow;
  }

  private synchronized void resize(int delta) {
    slow += delta;
    int size = threads + slow;
    // The maximum is never below the core size: raise it first, lower it last.
    if (delta > 0) {
      pool.setMaximumPoolSize(size);
      pool.setCorePoolSize(size);
    } else {
      pool.setCorePoolSize(size);
      pool.setMaximumPoolSize(size);
    }
  }

  /** Takes no more calls; running ones end on their own (the driver's timeouts bound them). */
  @Override
  public void close() {
    pool.shutdown();
  }
}
