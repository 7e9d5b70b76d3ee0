package io.pgha.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A hold of the writes (what the lagging-failover drill does before it reads the leader's WAL position):
 * it waits for the write in flight, starts none while in force, and ends at the release or by itself.
 */
class PacedWorkerHoldTest {

  /** Counts its operations; the first one blocks until {@link #finishFirst} counts down. */
  private static final class Counting implements TrafficOperation {
    final AtomicInteger started = new AtomicInteger();
    final CountDownLatch firstStarted = new CountDownLatch(1);
    final CountDownLatch finishFirst = new CountDownLatch(1);

    @Override
    public OperationOutcome.Kind kind() {
      return OperationOutcome.Kind.WRITE;
    }

    @Override
    public Served perform() {
      if (started.incrementAndGet() == 1) {
        firstStarted.countDown();
        try {
          finishFirst.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return new Served("pg-1", true, null, 1);
    }

    @Override
    public void close() {
    }
  }

  private static boolean within10s(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  private static Thread start(PacedWorker worker) {
    Thread t = new Thread(worker, "paced-worker-test");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Test
  void aHoldWaitsForTheWriteInFlightAndStartsNoneUntilReleased() throws Exception {
    Counting op = new Counting();
    PacedWorker worker = new PacedWorker(op, 200, new TrafficClock(), (o, s) -> { });
    Thread thread = start(worker);
    try {
      assertThat(op.firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> hold = CompletableFuture.runAsync(() -> worker.hold(Duration.ofMinutes(1).toNanos()));
      Thread.sleep(200);
      assertThat(hold).as("returns only once the write in flight has ended").isNotDone();

      op.finishFirst.countDown();
      hold.get(10, TimeUnit.SECONDS);
      int atHold = op.started.get();
      Thread.sleep(500);
      assertThat(op.started.get()).as("no write starts while held (200 a second otherwise)").isEqualTo(atHold);

      worker.release();
      assertThat(within10s(() -> op.started.get() > atHold + 5)).as("writes again").isTrue();
    } finally {
      worker.stop();
      thread.join(10_000);
    }
  }

  @Test
  void aHoldEndsByItselfAfterItsBound() throws Exception {
    Counting op = new Counting();
    op.finishFirst.countDown();
    PacedWorker worker = new PacedWorker(op, 200, new TrafficClock(), (o, s) -> { });
    Thread thread = start(worker);
    try {
      assertThat(op.firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
      worker.hold(Duration.ofMillis(300).toNanos());
      int atHold = op.started.get();
      assertThat(within10s(() -> op.started.get() > atHold + 5)).as("writes again").isTrue();
    } finally {
      worker.stop();
      thread.join(10_000);
    }
  }
}
