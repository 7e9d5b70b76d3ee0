package io.pgha.it;

import io.pgha.lab.client.Http;
import io.pgha.promkit.Exposition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * One scrape of a pgha exporter the way Prometheus does it: Prometheus text format, with
 * {@code X-Prometheus-Scrape-Timeout-Seconds}, timed on the client side. The samples are parsed
 * so tests ask for series by name and labels, whatever order the labels are printed in.
 */
public record ExporterScrape(int status, String body, Duration elapsed, Exposition page) {

  /** lab's: on the TLS cluster it trusts the CA, and {@link Http#authorize} logs in to the exporters. */
  private static final HttpClient HTTP = Http.newClient(Duration.ofSeconds(5));

  /** GET {@code url} announcing {@code scrapeTimeout}; the client gives up at twice that. */
  public static ExporterScrape of(String url, Duration scrapeTimeout) {
    HttpRequest req = Http.authorize(HttpRequest.newBuilder(URI.create(url)), URI.create(url))
        .header("Accept", "text/plain; version=0.0.4")
        .header("X-Prometheus-Scrape-Timeout-Seconds",
            Double.toString(scrapeTimeout.toMillis() / 1000.0))
        .timeout(scrapeTimeout.multipliedBy(2)).GET().build();
    long t0 = System.nanoTime();
    try {
      HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
      Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
      Exposition page = Exposition.parse(r.body());
      if (!page.skipped().isEmpty()) {
        throw new IllegalStateException("unreadable lines in the scrape of " + url + ": " + page.skipped());
      }
      return new ExporterScrape(r.statusCode(), r.body(), elapsed, page);
    } catch (IOException e) {
      throw new IllegalStateException("scrape of " + url + " failed after "
          + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code promtool check metrics} on the body: exit 0 and no finding, or an AssertionError. */
  public void assertPromtoolAccepts() {
    ExternalCommand.Result r = ExternalCommand.run(Duration.ofSeconds(30), body,
        "promtool", "check", "metrics");
    if (r.exitCode() != 0 || !r.output().isBlank()) {
      throw new AssertionError("promtool check metrics (exit " + r.exitCode() + "):\n" + r.output()
          + "\n--- input:\n" + body);
    }
  }

  /** The value of the series {@code name} whose labels are exactly {@code labelPairs} (k1, v1, ...). */
  public OptionalDouble value(String name, String... labelPairs) {
    Map<String, String> want = Exposition.pairs(labelPairs);
    return page.named(name).stream().filter(s -> s.labels().equals(want))
        .mapToDouble(Exposition.Sample::value).findFirst();
  }

  /** Like {@link #value} but the series must be there. */
  public double valueOf(String name, String... labelPairs) {
    return value(name, labelPairs).orElseThrow(() -> new AssertionError(
        "no series " + name + Exposition.pairs(labelPairs) + " in the scrape:\n" + body));
  }

  /** The sum of every series of {@code name} carrying {@code labelPairs} (other labels, such as a counter's kind, summed over). */
  public double sumOf(String name, String... labelPairs) {
    List<Exposition.Sample> all = page.all(name, labelPairs);
    if (all.isEmpty()) {
      throw new AssertionError("no series " + name + Exposition.pairs(labelPairs) + " in the scrape:\n" + body);
    }
    return all.stream().mapToDouble(Exposition.Sample::value).sum();
  }

  /** Every series of {@code name} as label value of {@code label} to value (other labels ignored). */
  public Map<String, Double> byLabel(String name, String label) {
    Map<String, Double> out = new TreeMap<>();
    page.named(name).stream().filter(s -> s.labels().containsKey(label))
        .forEach(s -> out.put(s.labels().get(label), s.value()));
    return out;
  }

  /** Every series of {@code name} matching {@code labelPairs}, keyed by the value of {@code label}. */
  public Map<String, Double> byLabel(String name, String label, String... labelPairs) {
    Map<String, Double> out = new TreeMap<>();
    page.all(name, labelPairs).stream().filter(s -> s.labels().containsKey(label))
        .forEach(s -> out.put(s.labels().get(label), s.value()));
    return out;
  }
}
