package io.pgha.drills;

import io.pgha.lab.client.Http;
import io.pgha.promkit.Exposition;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Polls one {@code /metrics} endpoint and keeps the series of interest; an endpoint that does not answer
 * in time is recorded as not answered. No {@code X-Prometheus-Scrape-Timeout-Seconds}: the exporters
 * then use their own deadline, the one Prometheus's scrapes get. A shorter one would not stay the
 * drill's business: the exporters share a collection in flight with every scrape that arrives meanwhile
 * (single flight), so Prometheus would get the drill's cut-short collection, and an alert that needs a
 * slow answer (a quorum read without quorum) would never fire.
 */
final class MetricsPoller implements Runnable {

  private static final Http HTTP = new Http(Duration.ofSeconds(6));

  private final String source;
  private final String url;
  private final Set<String> names;
  private final LongSupplier clock;
  private final Recorder<MetricsSample> into;

  MetricsPoller(String source, String url, Set<String> names, LongSupplier clock, Recorder<MetricsSample> into) {
    this.source = source;
    this.url = url;
    this.names = Set.copyOf(names);
    this.clock = clock;
    this.into = into;
  }

  @Override
  public void run() {
    Http.Response response = HTTP.get(url, "text/plain");
    if (Thread.currentThread().isInterrupted()) {
      return;
    }
    long at = clock.getAsLong();
    into.add(response.status() == 200 ? new MetricsSample(at, source, true, keep(response.body(), names))
        : new MetricsSample(at, source, false, List.of()));
  }

  /** The samples of the page whose metric is one of {@code names}. */
  static List<Exposition.Sample> keep(String page, Set<String> names) {
    return Exposition.parse(page).samples().stream().filter(s -> names.contains(s.name())).toList();
  }
}
