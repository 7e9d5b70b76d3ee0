package io.pgha.bench;

import io.pgha.lab.client.ClusterTls;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scrapes a /metrics endpoint the way Prometheus does (its Accept header and scrape-timeout
 * header, keep-alive where the server allows it) from a number of concurrent scrapers, and times
 * each scrape from the request to the last byte of the body. Each scraper keeps one
 * {@link HttpConnection}, so what is timed is the server, not a heavy client.
 */
public final class Scraper {
  /** What Prometheus 2.42 sends: OpenMetrics first, the text format as a fallback. */
  static final String ACCEPT = "application/openmetrics-text;version=1.0.0,"
      + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
  /** The cluster's Prometheus has a 4 s scrape timeout; the exporters derive their deadline from it. */
  static final String SCRAPE_TIMEOUT_SECONDS = "4";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** The threads of {@link #fetchTogether}: one per request in flight, kept between rounds. */
  private final ExecutorService together = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "pgha-bench-together");
    t.setDaemon(true);
    return t;
  });

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

  /** The bench's name and, on a TLS cluster's exporter, its login. */
  private static Map<String, String> headers(URI url) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("User-Agent", "pgha-bench");
    ClusterTls.authorization(url).ifPresent(value -> headers.put("Authorization", value));
    return headers;
  }

  /** {@link #headers} and what Prometheus adds to a scrape. */
  private static Map<String, String> scrapeHeaders(URI url) {
    Map<String, String> headers = headers(url);
    headers.put("Accept", ACCEPT);
    headers.put("X-Prometheus-Scrape-Timeout-Seconds", SCRAPE_TIMEOUT_SECONDS);
    return headers;
  }

  /** One scrape on {@code on}; a failure is status 0 with the reason as its body. */
  private static Fetched fetch(HttpConnection on, URI url, Map<String, String> headers) {
    long t0 = System.nanoTime();
    try {
      HttpConnection.Answer a = on.get(url, headers);
      return new Fetched(a.status(), a.body(), System.nanoTime() - t0);
    } catch (IOException | RuntimeException e) {
      on.close();
      return new Fetched(0, e.toString(), System.nanoTime() - t0);
    }
  }

  /** One scrape on a connection of its own, closed after it (reads, warm-ups; safe from any thread). */
  public Fetched fetch(URI url) {
    try (HttpConnection own = new HttpConnection(REQUEST_TIMEOUT)) {
      return fetch(own, url, scrapeHeaders(url));
    }
  }

  /**
   * Several requests sent at once, each on a connection of its own (as exporter-patroni asks
   * Patroni, which closes each), timed from the first request to the last byte of the last answer;
   * not OK when any is not. The body is the last URL's. Nothing is done with the answers, which are
   * acknowledged at once as exporter-patroni does: this is what waiting for those requests costs at
   * least (exporter-patroni's scrape waits for such a round).
   */
  public Fetched fetchTogether(List<URI> urls) {
    if (urls.size() == 1) {
      return fetch(urls.get(0));
    }
    long t0 = System.nanoTime();
    List<Future<Fetched>> answers = new ArrayList<>();
    for (URI url : urls) {
      answers.add(together.submit(() -> {
        try (HttpConnection own = new HttpConnection(REQUEST_TIMEOUT, true)) {
          return fetch(own, url, headers(url));
        }
      }));
    }
    Fetched worst = null;
    try {
      for (Future<Fetched> a : answers) {
        Fetched f = a.get();
        if (worst == null || worst.ok()) {
          worst = f;
        }
      }
      return new Fetched(worst.status(), worst.body(), System.nanoTime() - t0);
    } catch (ExecutionException e) {
      return new Fetched(0, String.valueOf(e.getCause()), System.nanoTime() - t0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answers.forEach(a -> a.cancel(true));
      return new Fetched(0, "interrupted", System.nanoTime() - t0);
    }
  }

  /** {@code scrapes} scrapes shared among {@code concurrency} scrapers that each wait for their answer. */
  public Run run(URI url, int scrapes, int concurrency) throws InterruptedException {
    return run(List.of(url), scrapes, concurrency);
  }

  /**
   * As {@link #run(URI, int, int)}; with several URLs each scrape is {@link #fetchTogether} of them.
   * Each scraper keeps its own connection.
   */
  public Run run(List<URI> urls, int scrapes, int concurrency) throws InterruptedException {
    long[] nanos = new long[scrapes];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    String[] last = new String[1];
    List<Thread> scrapers = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int s = 0; s < concurrency; s++) {
      Thread t = new Thread(() -> {
        try (HttpConnection own = new HttpConnection(REQUEST_TIMEOUT)) {
          Map<String, String> headers = scrapeHeaders(urls.get(0));
          int i;
          while ((i = next.getAndIncrement()) < scrapes && !Thread.currentThread().isInterrupted()) {
            Fetched f = urls.size() == 1 ? fetch(own, urls.get(0), headers) : fetchTogether(urls);
            nanos[i] = f.nanos();
            if (f.ok()) {
              last[0] = f.body();
            } else {
              errors.incrementAndGet();
            }
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
    warmUp(List.of(url), scrapes);
  }

  public void warmUp(List<URI> urls, int scrapes) {
    for (int i = 0; i < scrapes; i++) {
      fetchTogether(urls);
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
