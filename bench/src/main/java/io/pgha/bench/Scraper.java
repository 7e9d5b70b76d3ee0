package io.pgha.bench;

import io.pgha.lab.client.Http;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scrapes a /metrics endpoint the way Prometheus does (its Accept header and scrape-timeout
 * header, keep-alive where the server allows it) from a number of concurrent scrapers, and times
 * each scrape from the request to the last byte of the body.
 */
public final class Scraper {
  /** What Prometheus 2.42 sends: OpenMetrics first, the text format as a fallback. */
  static final String ACCEPT = "application/openmetrics-text;version=1.0.0,"
      + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
  /** The cluster's Prometheus has a 4 s scrape timeout; the exporters derive their deadline from it. */
  static final String SCRAPE_TIMEOUT_SECONDS = "4";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** lab's: on a TLS cluster it trusts the cluster's CA and shows its client certificate. */
  private final HttpClient client = Http.newClient(Duration.ofSeconds(2));

  /** One scrape's answer. */
  public record Fetched(int status, String body, long nanos) {
    public boolean ok() {
      return status == 200;
    }
  }

  /** A series of scrapes: each one's duration, errors, the wall time, the last good body. */
  public record Run(long[] nanos, int errors, long wallNanos, String lastBody) {
    public LatencyStats stats() {
      return LatencyStats.of(nanos, errors, wallNanos);
    }

    /** Several series as one (e.g. blocks of scrapes interleaved with other targets'). */
    public static Run concat(java.util.List<Run> runs) {
      long[] all = runs.stream().flatMapToLong(r -> java.util.Arrays.stream(r.nanos)).toArray();
      String last = runs.isEmpty() ? "" : runs.get(runs.size() - 1).lastBody;
      return new Run(all, runs.stream().mapToInt(Run::errors).sum(),
          runs.stream().mapToLong(Run::wallNanos).sum(), last);
    }
  }

  public Fetched fetch(URI url) {
    HttpRequest request = Http.authorize(HttpRequest.newBuilder(url), url).timeout(REQUEST_TIMEOUT)
        .header("Accept", ACCEPT)
        .header("X-Prometheus-Scrape-Timeout-Seconds", SCRAPE_TIMEOUT_SECONDS)
        .header("User-Agent", "pgha-bench")
        .GET().build();
    long t0 = System.nanoTime();
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Fetched(r.statusCode(), r.body(), System.nanoTime() - t0);
    } catch (IOException e) {
      return new Fetched(0, String.valueOf(e.getMessage()), System.nanoTime() - t0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Fetched(0, "interrupted", System.nanoTime() - t0);
    }
  }

  /** {@code scrapes} scrapes shared among {@code concurrency} scrapers that each wait for their answer. */
  public Run run(URI url, int scrapes, int concurrency) throws InterruptedException {
    long[] nanos = new long[scrapes];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    String[] last = new String[1];
    List<Thread> scrapers = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int s = 0; s < concurrency; s++) {
      Thread t = new Thread(() -> {
        int i;
        while ((i = next.getAndIncrement()) < scrapes && !Thread.currentThread().isInterrupted()) {
          Fetched f = fetch(url);
          nanos[i] = f.nanos();
          if (f.ok()) {
            last[0] = f.body();
          } else {
            errors.incrementAndGet();
          }
        }
      }, "pgha-bench-scraper-" + s);
      t.setDaemon(true);
      scrapers.add(t);
      t.start();
    }
    for (Thread t : scrapers) {
      t.join();
    }
    long wall = System.nanoTime() - t0;
    return new Run(nanos, errors.get(), wall, last[0] == null ? "" : last[0]);
  }

  /** Warm-up: the first scrapes of a JVM exporter run interpreted code and fill connection pools. */
  public void warmUp(URI url, int scrapes) {
    for (int i = 0; i < scrapes; i++) {
      fetch(url);
    }
  }

  /** Samples in an exposition (lines that are neither comments nor blank). */
  public static int series(String body) {
    int n = 0;
    for (String line : body.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        n++;
      }
    }
    return n;
  }
}
