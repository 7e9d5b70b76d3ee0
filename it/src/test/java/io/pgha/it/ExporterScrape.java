package io.pgha.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * One scrape of a pgha exporter the way Prometheus does it: Prometheus text format, with
 * {@code X-Prometheus-Scrape-Timeout-Seconds}, timed on the client side. The samples are parsed
 * so tests ask for series by name and labels, whatever order the labels are printed in.
 */
public record ExporterScrape(int status, String body, Duration elapsed, List<Sample> samples) {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** One sample line: name, labels, value. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  /** GET {@code url} announcing {@code scrapeTimeout}; the client gives up at twice that. */
  public static ExporterScrape of(String url, Duration scrapeTimeout) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url))
        .header("Accept", "text/plain; version=0.0.4")
        .header("X-Prometheus-Scrape-Timeout-Seconds",
            Double.toString(scrapeTimeout.toMillis() / 1000.0))
        .timeout(scrapeTimeout.multipliedBy(2)).GET().build();
    long t0 = System.nanoTime();
    try {
      HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
      Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
      return new ExporterScrape(r.statusCode(), r.body(), elapsed, parse(r.body()));
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
    Map<String, String> want = pairs(labelPairs);
    return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(want))
        .mapToDouble(Sample::value).findFirst();
  }

  /** Like {@link #value} but the series must be there. */
  public double valueOf(String name, String... labelPairs) {
    return value(name, labelPairs).orElseThrow(() -> new AssertionError(
        "no series " + name + pairs(labelPairs) + " in the scrape:\n" + body));
  }

  /** Every series of {@code name} as label value of {@code label} to value (other labels ignored). */
  public Map<String, Double> byLabel(String name, String label) {
    Map<String, Double> out = new TreeMap<>();
    samples.stream().filter(s -> s.name().equals(name) && s.labels().containsKey(label))
        .forEach(s -> out.put(s.labels().get(label), s.value()));
    return out;
  }

  /** Every series of {@code name} matching {@code labelPairs}, keyed by the value of {@code label}. */
  public Map<String, Double> byLabel(String name, String label, String... labelPairs) {
    Map<String, String> want = pairs(labelPairs);
    Map<String, Double> out = new TreeMap<>();
    samples.stream().filter(s -> s.name().equals(name) && s.labels().containsKey(label)
            && s.labels().entrySet().containsAll(want.entrySet()))
        .forEach(s -> out.put(s.labels().get(label), s.value()));
    return out;
  }

  private static Map<String, String> pairs(String... labelPairs) {
    if (labelPairs.length % 2 != 0) {
      throw new IllegalArgumentException("label pairs come in twos: " + List.of(labelPairs));
    }
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < labelPairs.length; i += 2) {
      m.put(labelPairs[i], labelPairs[i + 1]);
    }
    return m;
  }

  /** Prometheus text format 0.0.4 sample lines; comments and blank lines skipped. */
  static List<Sample> parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      out.add(parseLine(line));
    }
    return out;
  }

  private static Sample parseLine(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (brace < 0 || (space >= 0 && space < brace)) {
      String[] parts = line.trim().split("\\s+");
      return new Sample(parts[0], Map.of(), number(parts[1]));
    }
    String name = line.substring(0, brace);
    Map<String, String> labels = new LinkedHashMap<>();
    int i = brace + 1;
    while (line.charAt(i) != '}') {
      int eq = line.indexOf('=', i);
      String key = line.substring(i, eq).trim();
      StringBuilder v = new StringBuilder();
      int j = eq + 2; // past ="
      while (line.charAt(j) != '"') {
        char c = line.charAt(j);
        if (c == '\\') {
          char n = line.charAt(++j);
          v.append(n == 'n' ? '\n' : n);
        } else {
          v.append(c);
        }
        j++;
      }
      labels.put(key, v.toString());
      i = j + 1;
      if (line.charAt(i) == ',') {
        i++;
      }
    }
    String[] rest = line.substring(i + 1).trim().split("\\s+");
    return new Sample(name, new TreeMap<>(labels), number(rest[0]));
  }

  private static double number(String s) {
    return switch (s) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }
}
