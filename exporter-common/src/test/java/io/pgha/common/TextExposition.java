package io.pgha.common;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Renders snapshots as Prometheus text: what golden-text tests compare. The text is client_java's
 * (points sorted); on the way, every rendering checks that {@link PageWriter}, which writes the pages
 * served, gives the same text in both formats (the same lines, in part order rather than sorted
 * where a family has several parts).
 */
public final class TextExposition {
  private TextExposition() {}

  public static String render(ScrapeResult result) {
    String text = clientJava(PrometheusTextFormatWriter.create(), result.snapshots());
    sameSeries(result, own(result, PageWriter.Format.PROMETHEUS_TEXT), text);
    sameSeries(result, own(result, PageWriter.Format.OPENMETRICS),
        clientJava(OpenMetricsTextFormatWriter.create(), result.snapshots()));
    return text;
  }

  public static String render(Collection<? extends MetricSnapshot> snapshots) {
    return render(ScrapeResult.of(snapshots));
  }

  static String own(ScrapeResult result, PageWriter.Format format) {
    return new PageWriter(64).write(result, format).toString(StandardCharsets.UTF_8);
  }

  static String clientJava(ExpositionFormatWriter writer, MetricSnapshots snapshots) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.write(out, snapshots);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * The same text when no family has several parts; else the same header lines in the same places
   * and, within each family, the same sample lines.
   */
  static void sameSeries(ScrapeResult result, String ours, String theirs) {
    boolean onePartEach = result.families().stream().allMatch(f -> f.parts().size() == 1);
    if (onePartEach ? !ours.equals(theirs) : !canonical(ours).equals(canonical(theirs))) {
      throw new AssertionError("PageWriter's page differs from client_java's:\n--- PageWriter\n" + ours
          + "--- client_java\n" + theirs);
    }
  }

  /** Each family's sample lines sorted, headers where they were. */
  private static List<String> canonical(String text) {
    List<String> out = new ArrayList<>();
    List<String> samples = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.startsWith("#")) {
        samples.sort(null);
        out.addAll(samples);
        samples.clear();
        out.add(line);
      } else {
        samples.add(line);
      }
    }
    samples.sort(null);
    out.addAll(samples);
    return out;
  }
}
