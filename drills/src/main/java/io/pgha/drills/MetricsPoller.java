package io.pgha.drills;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import io.pgha.promkit.Exposition;
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

  private static final Duration TIMEOUT = Duration.ofSeconds(6);
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();

  private final String source;
  private final URI url;
  private final Set<String> names;
  private final LongSupplier clock;
  private final Recorder<MetricsSample> into;

  MetricsPoller(String source, String url, Set<String> names, LongSupplier clock, Recorder<MetricsSample> into) {
    this.source = source;
    this.url = URI.create(url);
    this.names = Set.copyOf(names);
    this.clock = clock;
    this.into = into;
  }

  @Override
  public void run() {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).header("Accept", "text/plain").GET().build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      long at = clock.getAsLong();
      if (response.statusCode() != 200) {
        into.add(new MetricsSample(at, source, false, List.of()));
        return;
      }
      into.add(new MetricsSample(at, source, true, keep(response.body(), names)));
    } catch (IOException e) {
      into.add(new MetricsSample(clock.getAsLong(), source, false, List.of()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The samples of the page whose metric is one of {@code names}. */
  static List<Exposition.Sample> keep(String page, Set<String> names) {
    return Exposition.parse(page).samples().stream().filter(s -> names.contains(s.name())).toList();
  }
}
