package io.pgha.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The bench's own CPU load: threads that spin at normal priority until closed, each keeping one
 * core busy (on the 2-core development machine, 2 threads add 2 to the load average and leave the
 * cluster, the exporters and the scrapers to compete with them for every core).
 */
final class CpuLoad implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;
  /** Read after the run so the spinning cannot be optimised away. */
  private volatile long spins;

  CpuLoad(int threadCount) {
    for (int i = 0; i < threadCount; i++) {
      Thread t = new Thread(this::spin, "pgha-bench-cpu-load-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void spin() {
    long n = 0;
    double x = 1;
    while (running) {
      x = x * 1.0000001 + 1e-9;
      n++;
    }
    spins += n + (x > 0 ? 0 : 1);
  }

  int threads() {
    return threads.size();
  }

  @Override
  public void close() {
    running = false;
    for (Thread t : threads) {
      try {
        t.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
