package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.INSTANCE_CPU_SECONDS;
import static io.pgha.postgres.PostgresMetrics.INSTANCE_PROCESSES;
import static io.pgha.postgres.PostgresMetrics.INSTANCE_RESIDENT_MEMORY_BYTES;

import io.pgha.common.ErrorText;
import io.pgha.common.FamilyPoints;
import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.pgha.postgres.ProcReader.Processes;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CPU seconds and resident memory of each PostgreSQL instance whose data directory is on this
 * host (targets with {@code data_directory}), read from /proc off the event loop.
 *
 * <p>CPU is read at every scrape (one small file per process). Memory needs the kernel to walk
 * every page table ({@link ProcReader#pssBytes}), so it is measured once when a postmaster is
 * first seen and then refreshed in the background when older than {@code memoryInterval}: a
 * scrape never waits for it, and more scrapers do not mean more walks.
 */
final class PostmasterProcessCollector implements ScrapeCollector {
  private static final Logger LOG = LoggerFactory.getLogger(PostmasterProcessCollector.class);
  static final Duration DEFAULT_MEMORY_INTERVAL = Duration.ofSeconds(30);

  /** What the conversion to metrics needs; {@code residentBytes} null while unknown. */
  record Usage(long postmasterPid, int processes, double cpuSeconds, Double residentBytes) {
    static final Usage NOT_RUNNING = new Usage(0, 0, 0, null);
  }

  private final List<PostgresTarget> targets;
  private final ProcReader reader;
  private final long memoryIntervalNanos;
  private final LongSupplier clock;
  private final Map<PostgresTarget, Instance> instances = new ConcurrentHashMap<>();

  PostmasterProcessCollector(List<PostgresTarget> targets, Path proc, Duration memoryInterval, LongSupplier clock) {
    this.targets = targets.stream().filter(t -> t.dataDirectory().isPresent()).toList();
    this.reader = new ProcReader(proc);
    this.memoryIntervalNanos = memoryInterval.toNanos();
    this.clock = clock;
  }

  boolean hasTargets() {
    return !targets.isEmpty();
  }

  @Override
  public String name() {
    return "postmaster_process";
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    Vertx vertx = context.vertx();
    return vertx.executeBlocking(() -> {
      Map<PostgresTarget, Usage> usage = new LinkedHashMap<>();
      for (PostgresTarget t : targets) {
        try {
          usage.put(t, usage(vertx, t));
        } catch (IOException | RuntimeException e) {
          throw new IOException(t + ": cannot read the processes of " + t.dataDirectory().orElseThrow()
              + " from /proc: " + ErrorText.describe(e)
              + " (the exporter must run on the same host, as root or as the postgres user)", e);
        }
      }
      return SqlCollector.nonEmpty(snapshots(usage));
    }, false);
  }

  private Usage usage(Vertx vertx, PostgresTarget target) throws IOException {
    Processes processes = reader.processes(target.dataDirectory().orElseThrow());
    if (!processes.running()) {
      return Usage.NOT_RUNNING;
    }
    Instance instance = instances.compute(target,
        (t, known) -> known != null && known.pid == processes.postmasterPid() ? known : new Instance(processes.postmasterPid()));
    double cpu = instance.monotonic(reader.cpuSeconds(processes));
    long now = clock.getAsLong();
    Double memory = instance.memoryBytes;
    if (memory == null) {
      memory = reader.pssBytes(processes);
      instance.measured(memory, now);
    } else if (now - instance.memoryAt >= memoryIntervalNanos) {
      refreshInBackground(vertx, target, instance);
    }
    return new Usage(processes.postmasterPid(), processes.pids().size(), cpu, memory);
  }

  private void refreshInBackground(Vertx vertx, PostgresTarget target, Instance instance) {
    if (!instance.refreshing.compareAndSet(false, true)) {
      return;
    }
    vertx.executeBlocking(() -> {
      Processes processes = reader.processes(target.dataDirectory().orElseThrow());
      if (processes.postmasterPid() == instance.pid) {
        instance.measured(reader.pssBytes(processes), clock.getAsLong());
      }
      return null;
    }, false).onComplete(ar -> {
      instance.refreshing.set(false);
      if (ar.failed()) {
        LOG.warn("{}: cannot measure memory: {}", target, ErrorText.describe(ar.cause()));
      }
    });
  }

  static List<MetricSnapshot> snapshots(Map<PostgresTarget, Usage> usage) {
    FamilyPoints points = new FamilyPoints(INSTANCE_CPU_SECONDS, INSTANCE_RESIDENT_MEMORY_BYTES, INSTANCE_PROCESSES);
    usage.forEach((target, u) -> {
      points.add(INSTANCE_PROCESSES, (double) u.processes(), target.labelValues());
      if (u.postmasterPid() > 0) {
        points.add(INSTANCE_CPU_SECONDS, u.cpuSeconds(), target.labelValues())
            .add(INSTANCE_RESIDENT_MEMORY_BYTES, u.residentBytes(), target.labelValues());
      }
    });
    return points.snapshots();
  }

  /** One postmaster's history: a new postmaster (restart) starts a new one. */
  private static final class Instance {
    final long pid;
    final AtomicBoolean refreshing = new AtomicBoolean();
    private double cpuFloor;
    volatile Double memoryBytes;
    volatile long memoryAt;

    Instance(long pid) {
      this.pid = pid;
    }

    /**
     * A backend that exits moves its CPU time into the postmaster's cutime only once reaped; a
     * read in between misses it, and a counter that dips reads as a reset to Prometheus (a huge
     * false rate). So within one postmaster the total never goes down.
     */
    synchronized double monotonic(double cpuSeconds) {
      cpuFloor = Math.max(cpuFloor, cpuSeconds);
      return cpuFloor;
    }

    void measured(double bytes, long at) {
      memoryAt = at;
      memoryBytes = bytes;
    }
  }
}
