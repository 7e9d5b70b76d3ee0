package io.pgha.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JdbcWorkersTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void quickCallsShareTheThreadsAndNeverRunMoreAtOnce() throws Exception {
    try (JdbcWorkers workers = new JdbcWorkers(vertx, "t", 2, Duration.ofSeconds(5))) {
      AtomicInteger running = new AtomicInteger();
      AtomicInteger most = new AtomicInteger();
      List<Future<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        int n = i;
        calls.add(workers.run(() -> {
          most.accumulateAndGet(running.incrementAndGet(), Math::max);
          Thread.sleep(20);
          running.decrementAndGet();
          return n;
        }));
      }
      List<Integer> results = new ArrayList<>();
      for (Future<Integer> call : calls) {
        results.add(call.await(10, TimeUnit.SECONDS));
      }
      assertThat(results).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
      assertThat(most.get()).isEqualTo(2);
      assertThat(workers.threadCount()).isLessThanOrEqualTo(2);
      assertThat(workers.capacity()).isEqualTo(2);
    }
  }

  @Test
  void aCallHangingPastSlowAfterGetsAThreadOfItsOwnUntilItEnds() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (JdbcWorkers workers = new JdbcWorkers(vertx, "t", 2, Duration.ofMillis(100))) {
      List<Future<String>> hanging = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        hanging.add(workers.run(() -> {
          release.await();
          return "released";
        }));
      }
      // Two threads are held and one hanging call waits behind them: without a thread added per
      // slow call this one would wait for the release, which comes only after it is answered.
      long start = System.nanoTime();
      assertThat(workers.run(() -> "served").await(5, TimeUnit.SECONDS)).isEqualTo("served");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      await().atMost(Duration.ofSeconds(5)).until(() -> workers.capacity() == 5);
      assertThat(hanging).noneMatch(Future::isComplete);

      release.countDown();
      for (Future<String> call : hanging) {
        assertThat(call.await(5, TimeUnit.SECONDS)).isEqualTo("released");
      }
      assertThat(workers.capacity()).isEqualTo(2);
      await().atMost(Duration.ofSeconds(5)).until(() -> workers.threadCount() <= 2);
    }
  }

  @Test
  void theOutcomeArrivesOnTheCallingContextAndAFailureIsPassedOn() throws Exception {
    try (JdbcWorkers workers = new JdbcWorkers(vertx, "t", 1, Duration.ofSeconds(5))) {
      Context context = vertx.getOrCreateContext();
      Promise<List<Object>> seen = Promise.promise();
      context.runOnContext(v -> {
        List<Object> outcome = new ArrayList<>();
        workers.run(() -> Thread.currentThread().getName()).onComplete(r -> {
          outcome.add(Vertx.currentContext() == context);
          outcome.add(r.result());
          workers.<String>run(() -> {
            throw new java.sql.SQLException("refused");
          }).onComplete(f -> {
            outcome.add(Vertx.currentContext() == context);
            outcome.add(f.cause().getMessage());
            seen.complete(outcome);
          });
        });
      });
      List<Object> outcome = seen.future().await(10, TimeUnit.SECONDS);
      assertThat(outcome.get(0)).isEqualTo(true);
      assertThat((String) outcome.get(1)).startsWith("t-");
      assertThat(outcome.get(2)).isEqualTo(true);
      assertThat(outcome.get(3)).isEqualTo("refused");
    }
  }

  @Test
  void closedWorkersRefuseACallWithAReason() {
    JdbcWorkers workers = new JdbcWorkers(vertx, "t", 1, Duration.ofSeconds(5));
    workers.close();
    assertThatThrownBy(() -> workers.run(() -> 1).await(5, TimeUnit.SECONDS))
        .hasMessageContaining("JDBC workers are closed");
  }

  @Test
  void threadsFollowTheTargetsUpToAFewPerCore() {
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(JdbcWorkers.threadsFor(1)).isEqualTo(1);
    assertThat(JdbcWorkers.threadsFor(2)).isEqualTo(2);
    assertThat(JdbcWorkers.threadsFor(1000)).isEqualTo(Math.max(2, 2 * cores));
  }
}
