package io.pgha.traffic;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A traffic run in the background: writes through HAProxy's write port and reads through its read port at
 * a steady rate, every outcome recorded with its time, every acknowledged write kept in a ledger.
 * {@link #stop()} ends it and checks the ledger against the primary.
 *
 * <pre>{@code
 * try (TrafficRun run = TrafficRun.start(target, TrafficOptions.defaults(workdir.resolve("traffic")))) {
 *   ... inject a fault, watch run.buckets() ...
 *   TrafficSummary summary = run.stop();
 * }
 * }</pre>
 * All times are epoch milliseconds of the run's clock ({@link #nowMillis()}). Thread-safe.
 */
public final class TrafficRun implements AutoCloseable {

  private final TrafficClock clock = new TrafficClock();
  private final TrafficConnector connector;
  private final TrafficOptions options;
  private final TrafficLedger ledger;
  private final List<OperationOutcome> outcomes = new ArrayList<>();
  private final List<PacedWorker> workers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private PacedWorker writer;
  private TrafficSummary summary;

  private TrafficRun(TrafficTarget target, TrafficOptions options) throws IOException {
    this.connector = new TrafficConnector(target, options);
    this.options = options;
    this.ledger = TrafficLedger.create(options.ledgerDirectory(), clock.startMillis(),
        "Write endpoint " + target.write() + ", database " + target.database() + ", rate " + options.rate()
            + "/s, read ratio " + options.readRatio() + ".");
  }

  /** Starts writing and reading at once; fails only when the ledger file cannot be created. */
  public static TrafficRun start(TrafficTarget target, TrafficOptions options) throws IOException {
    TrafficRun run = new TrafficRun(target, options);
    OwnerIds owners = new OwnerIds();
    if (options.writesPerSecond() > 0) {
      run.writer = run.launch("pgha-traffic-writer", new EventWriter(run.connector, owners), options.writesPerSecond());
    }
    if (options.readsPerSecond() > 0) {
      run.launch("pgha-traffic-reader", new EventReader(run.connector, owners), options.readsPerSecond());
    }
    return run;
  }

  private PacedWorker launch(String name, TrafficOperation operation, double perSecond) {
    PacedWorker worker = new PacedWorker(operation, perSecond, clock, this::record);
    Thread thread = new Thread(worker, name);
    thread.setDaemon(true);
    workers.add(worker);
    threads.add(thread);
    thread.start();
    return worker;
  }

  private void record(OperationOutcome outcome, TrafficOperation.Served served) {
    // Into the ledger first: a write counts as acknowledged once it is in the outcomes.
    if (outcome.ok() && outcome.isWrite()) {
      ledger.append(new LedgerEntry(served.token(), outcome.endedAtMillis(), served.member(), served.timeline()));
    }
    synchronized (outcomes) {
      outcomes.add(outcome);
    }
  }

  /**
   * Stops starting writes (reads go on) until {@link #releaseWrites()}, or for at most {@code atMost}
   * (a hold cannot outlive a caller that failed): returns once the write in flight, if any, has ended,
   * so the database gets no write from this run until then. The pause is no outage: no write fails.
   */
  public void holdWrites(Duration atMost) {
    if (writer != null) {
      writer.hold(atMost.toNanos());
    }
  }

  /** Ends {@link #holdWrites}: the next write starts at once. */
  public void releaseWrites() {
    if (writer != null) {
      writer.release();
    }
  }

  public long startedAtMillis() {
    return clock.startMillis();
  }

  /** Now, on the clock the outcomes are stamped with. */
  public long nowMillis() {
    return clock.nowMillis();
  }

  public Path ledgerFile() {
    return ledger.file();
  }

  public TrafficOptions options() {
    return options;
  }

  /** Every outcome so far, in the order they were recorded. */
  public List<OperationOutcome> outcomes() {
    synchronized (outcomes) {
      return List.copyOf(outcomes);
    }
  }

  /** Writes acknowledged so far, in order. */
  public List<LedgerEntry> acknowledgedWrites() {
    return ledger.entries();
  }

  /** Counts of the operations that ended in [fromMillis, toMillis). */
  public TrafficWindow window(long fromMillis, long toMillis) {
    return TrafficWindows.tally(outcomes(), fromMillis, toMillis);
  }

  /** 100 ms buckets from the start of the run up to the last complete one. */
  public List<TrafficWindow> buckets() {
    long width = TrafficWindows.BUCKET_MILLIS;
    long start = startedAtMillis();
    long completeUpTo = start + (nowMillis() - start) / width * width;
    return buckets(start, completeUpTo);
  }

  /** 100 ms buckets over [fromMillis, toMillis). */
  public List<TrafficWindow> buckets(long fromMillis, long toMillis) {
    return TrafficWindows.buckets(outcomes(), fromMillis, toMillis, TrafficWindows.BUCKET_MILLIS);
  }

  /** Write outages so far; the last one is open (not recovered) while writes are still failing. */
  public List<WriteOutage> writeOutages() {
    return WriteOutages.all(outcomes(), startedAtMillis(), nowMillis());
  }

  /**
   * Stops the traffic (waiting for operations in flight, bounded by the timeouts), closes the ledger,
   * looks every acknowledged write up on the primary (retrying up to the ledger check timeout), and sums
   * up. Calling it again returns the same summary.
   */
  public synchronized TrafficSummary stop() {
    if (summary != null) {
      return summary;
    }
    long stoppedAt = clock.nowMillis();
    workers.forEach(PacedWorker::stop);
    Duration inFlight = options.connectTimeout().plus(options.socketTimeout()).plusSeconds(1);
    for (Thread thread : threads) {
      try {
        thread.join(inFlight.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<OperationOutcome> recorded = outcomes();
    List<LedgerEntry> acknowledged = ledger.entries();
    try {
      ledger.close();
    } catch (IOException e) {
      // The entries are in memory and get checked anyway; the file is only a copy for later.
      System.err.println("pgha traffic: cannot finish the ledger file " + ledger.file() + ": " + e.getMessage());
    }
    LedgerCheck check = new LedgerVerifier(connector, options.ledgerCheckTimeout()).verify(acknowledged);
    summary = TrafficSummary.of(recorded, startedAtMillis(), stoppedAt, check, ledger.file());
    return summary;
  }

  @Override
  public void close() {
    stop();
  }
}
