package io.pgha.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RefreshedTest {
  private Vertx vertx;
  private Context context;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  /** Builds, starts and asks on one context, as an exporter's verticle does. */
  private <T> T onContext(java.util.concurrent.Callable<Future<T>> call) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        call.call().onComplete(ar -> {
          if (ar.succeeded()) {
            result.complete(ar.result());
          } else {
            result.completeExceptionally(ar.cause());
          }
        });
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(10, TimeUnit.SECONDS);
  }

  private Refreshed<Integer> refreshed(Duration interval, Duration maxAge, Function<ScrapeContext, Future<Integer>> fetch)
      throws Exception {
    return onContext(() -> Future.succeededFuture(
        new Refreshed<>(vertx, "the test value", interval, maxAge, Duration.ofMillis(500), fetch).start()));
  }

  @Test
  void scrapesAreServedFromMemoryAndTheSourceIsAskedAtTheIntervalNotPerScrape() throws Exception {
    AtomicInteger fetches = new AtomicInteger();
    Refreshed<Integer> r = refreshed(Duration.ofSeconds(30), Duration.ofSeconds(30),
        ctx -> Future.succeededFuture(fetches.incrementAndGet()));
    for (int i = 0; i < 20; i++) {
      assertThat(onContext(() -> r.fresh(ScrapeContext.withTimeout(vertx, 1000))).value()).isEqualTo(1);
    }
    assertThat(fetches).hasValue(1);
    r.close();
  }

  @Test
  void aValueOlderThanAllowedIsRefreshedForTheScrapeThatFindsIt() throws Exception {
    AtomicInteger fetches = new AtomicInteger();
    Refreshed<Integer> r = refreshed(Duration.ofSeconds(30), Duration.ofMillis(50),
        ctx -> Future.succeededFuture(fetches.incrementAndGet()));
    // The first reading may itself be a refresh when the machine is slow to get here: compare with it.
    Refreshed.Reading<Integer> first = onContext(() -> r.fresh(ScrapeContext.withTimeout(vertx, 1000)));
    Thread.sleep(120);
    Refreshed.Reading<Integer> again = onContext(() -> r.fresh(ScrapeContext.withTimeout(vertx, 1000)));
    assertThat(again.value()).as("fetched anew for this scrape").isGreaterThan(first.value());
    assertThat(again.ageMillis()).isLessThan(50);
    r.close();
  }

  @Test
  void aStaleValueIsNotServedWhenNoRefreshComesWithinTheDeadline() throws Exception {
    AtomicInteger fetches = new AtomicInteger();
    Refreshed<Integer> r = refreshed(Duration.ofSeconds(30), Duration.ofMillis(50),
        ctx -> fetches.incrementAndGet() == 1 ? Future.succeededFuture(7) : Promise.<Integer>promise().future());
    assertThat(onContext(() -> r.fresh(ScrapeContext.withTimeout(vertx, 1000))).value()).isEqualTo(7);
    Thread.sleep(120);

    Throwable failure = onContext(() -> r.fresh(ScrapeContext.withTimeout(vertx, 200))
        .<Throwable>map(x -> null).otherwise(e -> e));
    assertThat(failure).hasMessageContaining("the test value is stale (last fetched")
        .hasMessageContaining("allowed 50 ms) and no refresh finished within the scrape's deadline");
    assertThat(r.latest()).hasValueSatisfying(v -> assertThat(v.value()).isEqualTo(7));
    r.close();
  }
}
