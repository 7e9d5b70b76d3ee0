package io.pgha.it;

import io.pgha.lab.client.Http;
import io.pgha.promkit.Exposition;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One scrape of a Prometheus text exposition (ours or the peer's), enough to assert on: samples by
 * name and label values, read by promkit's {@link Exposition}. A line it cannot read fails the test.
 */
record MetricsPage(Exposition exposition) {

  private static final Http HTTP = new Http(Duration.ofSeconds(10));

  /** GETs {@code url}; fails when it does not answer 200. */
  static MetricsPage scrape(String url) {
    Http.Response r = HTTP.get(url);
    if (r.status() != 200) {
      throw new AssertionError("GET " + url + " answered " + r.status() + ": " + r.body());
    }
    return parse(r.body());
  }

  static MetricsPage parse(String text) {
    Exposition e = Exposition.parse(text);
    if (!e.skipped().isEmpty()) {
      throw new AssertionError("unreadable exposition lines: " + e.skipped());
    }
    return new MetricsPage(e);
  }

  List<Exposition.Sample> samples() {
    return exposition.samples();
  }

  /** Samples of {@code name} whose labels include the given name/value pairs. */
  List<Exposition.Sample> all(String name, String... labelPairs) {
    return exposition.all(name, labelPairs);
  }

  /** The value of the one sample matching; empty when none; fails when several match. */
  OptionalDouble value(String name, String... labelPairs) {
    return exposition.value(name, labelPairs);
  }

  /** Like {@link #value} but the sample must be there. */
  double require(String name, String... labelPairs) {
    return value(name, labelPairs).orElseThrow(
        () -> new AssertionError("no sample " + name + " " + List.of(labelPairs)));
  }
}
