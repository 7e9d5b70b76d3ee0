package io.pgha.it;

import io.pgha.lab.alerts.Notification;
import io.pgha.lab.alerts.NotificationLog;
import io.pgha.lab.alerts.NotifiedAlert;
import io.pgha.testkit.Pause;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Watches the pgha receiver's notifications.jsonl from now on: each notification appended after
 * {@link #start} is kept with the time it was first seen (polled every 100 ms), so a test can say
 * how long after a fault a notification arrived, also while it is blocked healing the cluster.
 */
final class NotificationWatch implements AutoCloseable {
  private static final long POLL_MILLIS = 100;

  /** One alert of a notification, and when the watch first saw the notification. */
  record Seen(Notification notification, NotifiedAlert alert, long seenAtMillis) {}

  private final Path file;
  private final List<Seen> seen = new ArrayList<>();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "pgha-it-notification-watch");
    t.setDaemon(true);
    return t;
  });
  private int read;
  private String problem;

  private NotificationWatch(Path file) throws IOException {
    this.file = file;
    this.read = NotificationLog.read(file).notifications().size();
  }

  static NotificationWatch start(TestCluster cluster) throws IOException {
    NotificationWatch w = new NotificationWatch(
        cluster.workdir().resolve("alerts").resolve("notifications.jsonl"));
    w.poller.scheduleWithFixedDelay(w::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    return w;
  }

  private void poll() {
    try {
      NotificationLog log = NotificationLog.read(file);
      long now = System.currentTimeMillis();
      synchronized (seen) {
        List<Notification> all = log.notifications();
        for (int i = read; i < all.size(); i++) {
          for (NotifiedAlert a : all.get(i).alerts()) {
            seen.add(new Seen(all.get(i), a, now));
          }
        }
        read = Math.max(read, all.size());
        if (!log.problems().isEmpty()) {
          problem = String.join("; ", log.problems());
        }
      }
    } catch (IOException | RuntimeException e) {
      synchronized (seen) {
        problem = e.toString();
      }
    }
  }

  /** The first alert named {@code alertname} with status {@code status} (firing, resolved) seen so far. */
  Optional<Seen> first(String alertname, String status) {
    return first(a -> a.alertname().equals(alertname) && a.status().equals(status));
  }

  /** The first alert seen so far that {@code matches}. */
  Optional<Seen> first(Predicate<NotifiedAlert> matches) {
    synchronized (seen) {
      return seen.stream().filter(s -> matches.test(s.alert())).findFirst();
    }
  }

  /** Waits for {@link #first}; fails naming what did arrive. */
  Seen await(String alertname, String status, Duration timeout) {
    return await(status + " notification of " + alertname, a -> a.alertname().equals(alertname)
        && a.status().equals(status), timeout);
  }

  /** Waits for the first alert named {@code alertname} with status {@code status} and these labels among its own. */
  Seen await(String alertname, String status, Map<String, String> labels, Duration timeout) {
    return await(status + " notification of " + alertname + labels, a -> a.alertname().equals(alertname)
        && a.status().equals(status)
        && labels.entrySet().stream().allMatch(l -> l.getValue().equals(a.labels().get(l.getKey()))), timeout);
  }

  /** Waits for the first alert that {@code matches} ({@code what} says which, for the failure message). */
  Seen await(String what, Predicate<NotifiedAlert> matches, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Seen> s = first(matches);
      if (s.isPresent()) {
        return s.get();
      }
      Pause.millis(POLL_MILLIS);
    }
    throw new AssertionError("no " + what + " within " + timeout
        + "; notifications since the watch started: " + describe());
  }

  /** What arrived since the watch started, one line per alert, for failure messages and logs. */
  String describe() {
    synchronized (seen) {
      StringBuilder sb = new StringBuilder();
      for (Seen s : seen) {
        sb.append("\n  ").append(s.alert().status()).append(' ').append(s.alert().labels())
            .append(" startsAt ").append(s.alert().startsAt()).append(" (line ")
            .append(s.notification().line()).append(')');
      }
      if (problem != null) {
        sb.append("\n  problem reading ").append(file).append(": ").append(problem);
      }
      return sb.length() == 0 ? "none" : sb.toString();
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
