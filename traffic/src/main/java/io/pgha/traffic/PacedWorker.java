package io.pgha.traffic;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs one traffic operation at a steady rate on its own thread and hands every outcome to a sink.
 * Writes and reads have a worker each, so a hung write does not hold reads back.
 */
final class PacedWorker implements Runnable {

  interface Sink {
    void accept(OperationOutcome outcome, TrafficOperation.Served served);
  }

  private final TrafficOperation operation;
  private final long intervalNanos;
  private final TrafficClock clock;
  private final Sink sink;
  private volatile boolean stopping;
  private volatile Thread thread;
  /** Taken for each operation, so {@link #hold} can wait for the one in flight. */
  private final ReentrantLock turn = new ReentrantLock();
  /** {@link System#nanoTime()} until which no operation starts; a hold ends by itself then. */
  private volatile long heldUntilNanos;
  private volatile boolean held;

  PacedWorker(TrafficOperation operation, double perSecond, TrafficClock clock, Sink sink) {
    this.operation = operation;
    this.intervalNanos = Math.max(1, Math.round(1e9 / perSecond));
    this.clock = clock;
    this.sink = sink;
  }

  /**
   * When the next operation is due. A late one is not made up for with a burst: an operation that hung
   * for two seconds is followed by one attempt, not by two seconds' worth at once.
   */
  static long nextSlot(long previousSlot, long intervalNanos, long nowNanos) {
    return Math.max(previousSlot + intervalNanos, nowNanos);
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    try {
      long slot = System.nanoTime();
      while (!stopping) {
        long wait = slot - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(this, wait);
          continue;
        }
        if (!attemptUnlessHeld()) {
          LockSupport.parkNanos(this, Math.max(1, heldUntilNanos - System.nanoTime()));
          continue;
        }
        slot = nextSlot(slot, intervalNanos, System.nanoTime());
      }
    } finally {
      operation.close();
    }
  }

  private boolean attemptUnlessHeld() {
    turn.lock();
    try {
      if (isHeld()) {
        return false;
      }
      attempt();
      return true;
    } finally {
      turn.unlock();
    }
  }

  private boolean isHeld() {
    return held && System.nanoTime() - heldUntilNanos < 0;
  }

  /**
   * Starts no operation until {@link #release} or for at most {@code atMostNanos}, whichever comes first;
   * returns once the operation in flight, if any, has ended (bounded by the traffic's timeouts).
   */
  void hold(long atMostNanos) {
    heldUntilNanos = System.nanoTime() + atMostNanos;
    held = true;
    turn.lock();
    turn.unlock();
  }

  /** Ends a hold: the next operation starts at once. */
  void release() {
    held = false;
    Thread running = thread;
    if (running != null) {
      LockSupport.unpark(running);
    }
  }

  private void attempt() {
    long started = clock.nowMillis();
    OperationOutcome outcome;
    TrafficOperation.Served served = null;
    try {
      served = operation.perform();
      outcome = OperationOutcome.ok(operation.kind(), started, clock.nowMillis(), served.member(), served.primary());
    } catch (Exception e) {
      outcome = OperationOutcome.failed(operation.kind(), started, clock.nowMillis(), ErrorText.brief(e));
    }
    // Outside the try: a sink failure (say, a full disk under the ledger) must not turn a write that the
    // database acknowledged into a failed one.
    sink.accept(outcome, served);
  }

  /** Asks the worker to stop after the operation in flight, if any. */
  void stop() {
    stopping = true;
    Thread running = thread;
    if (running != null) {
      LockSupport.unpark(running);
    }
  }
}
