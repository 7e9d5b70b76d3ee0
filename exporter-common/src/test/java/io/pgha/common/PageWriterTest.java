package io.pgha.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** PageWriter against client_java's writers: the same text, byte for byte, in both formats. */
class PageWriterTest {
  /** Values whose printing differs most: whole numbers on both sides of 1e7, signs, specials, fractions. */
  private static final double[] VALUES = {0, -0.0, 1, -1, 0.1, 1.5, 9_999_999, 10_000_000, -9_999_999, -10_000_000,
      1.7e9, 1_733_568_000.123, 123_456_789_012d, 1e-7, 0.001, 1e300, -1e-300, Double.MIN_VALUE, Double.MAX_VALUE,
      Long.MAX_VALUE, (double) Long.MIN_VALUE, 4_503_599_627_370_496d, Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY};
  private static final String[] LABEL_VALUES = {"", "main", "pg-1", "a\"b", "back\\slash", "two\nlines", "ü", "日本",
      "mixed \\ \" \n ß", "tab\there", "emoji \uD83D\uDE00"};

  @Test
  void writesEveryKindOfValueAndLabelAsClientJavaDoes() {
    GaugeFamily gauge = MetricFamily.gauge("pgha_t_value", "Help with \\ backslash, \"quotes\" and\na newline; ü.",
        "scope", "member");
    CounterFamily counter = MetricFamily.counter("pgha_t_events_total", "Events \"counted\".", "scope");
    HistogramFamily histogram = MetricFamily.histogram("pgha_t_wait_seconds", "Wait.",
        new double[] {0.005, 0.1, 1, 2.5, 1e7}, "scope");
    GaugeFamily bare = MetricFamily.gauge("pgha_t_bare", "No labels.");
    List<GaugeDataPointSnapshot> gauges = new ArrayList<>();
    List<CounterDataPointSnapshot> counters = new ArrayList<>();
    for (int i = 0; i < VALUES.length; i++) {
      gauges.add(gauge.point(VALUES[i], "s" + i, LABEL_VALUES[i % LABEL_VALUES.length]));
      counters.add(counter.point(Math.abs(VALUES[i]), LABEL_VALUES[i % LABEL_VALUES.length] + i));
    }
    HistogramFamily.Counts counts = histogram.empty().observe(0.001).observe(0.5).observe(3).observe(1e8);
    ScrapeResult result = ScrapeResult.of(List.of(
        gauge.snapshot(gauges),
        counter.snapshot(counters),
        histogram.snapshot(List.of(histogram.point(counts, "a"), histogram.point(histogram.empty(), "b"))),
        bare.snapshot(-0.25),
        MetricFamily.gauge("pgha_t_empty", "No points.", "scope").snapshot(List.of())));

    assertSame(result);
    assertThat(own(result, PageWriter.Format.PROMETHEUS_TEXT))
        .contains("pgha_t_value{member=\"a\\\"b\",scope=\"s3\"} -1.0\n")
        .contains("pgha_t_value{member=\"\",scope=\"s11\"} 1.733568000123E9\n")
        .contains("pgha_t_wait_seconds_bucket{scope=\"a\",le=\"1.0E7\"} 3\n")
        .doesNotContain("pgha_t_empty");
  }

  @Test
  void randomScrapesOfManyPartsGiveTheSameSeriesAsClientJava() {
    Random random = new Random(19);
    GaugeFamily[] families = new GaugeFamily[6];
    for (int f = 0; f < families.length; f++) {
      families[f] = MetricFamily.gauge("pgha_r_family_" + (char) ('z' - f), "Family " + f + ".", "scope", "member");
    }
    for (int round = 0; round < 50; round++) {
      List<MetricSnapshot> parts = new ArrayList<>();
      int scopes = 1 + random.nextInt(12);
      for (int s = 0; s < scopes; s++) {
        for (GaugeFamily family : families) {
          List<GaugeDataPointSnapshot> points = new ArrayList<>();
          for (int m = 0; m < random.nextInt(4); m++) {
            double value = random.nextBoolean() ? VALUES[random.nextInt(VALUES.length)] : random.nextGaussian() * 1e6;
            points.add(family.point(value, "scope-" + s, LABEL_VALUES[random.nextInt(LABEL_VALUES.length)] + m));
          }
          parts.add(family.snapshot(points));
        }
      }
      assertSame(ScrapeResult.of(parts));
    }
  }

  @Test
  void thePartsOfAFamilyAreWrittenInTheOrderCollectedUnderOneHeader() {
    GaugeFamily up = MetricFamily.gauge("pgha_t_up", "Up.", "scope");
    ScrapeResult result = ScrapeResult.of(List.of(up.snapshot(1, "zeta"), up.snapshot(0, "alpha")));
    assertThat(own(result, PageWriter.Format.OPENMETRICS)).isEqualTo("""
        # TYPE pgha_t_up gauge
        # HELP pgha_t_up Up.
        pgha_t_up{scope="zeta"} 1.0
        pgha_t_up{scope="alpha"} 0.0
        # EOF
        """);
    TextExposition.sameSeries(result, own(result, PageWriter.Format.PROMETHEUS_TEXT),
        TextExposition.clientJava(PrometheusTextFormatWriter.create(), result.snapshots()));
  }

  @Test
  void leavesToClientJavaWhatItDoesNotWrite() {
    Labels scope = Labels.of("scope", "main");
    List<MetricSnapshot> unsupported = List.of(
        new InfoSnapshot(new MetricMetadata("pgha_t_info", "Info."), List.of(new InfoDataPointSnapshot(scope))),
        new GaugeSnapshot(new MetricMetadata("pgha_t_size_bytes", "Size.", Unit.BYTES),
            List.of(new GaugeDataPointSnapshot(1, scope, null))),
        new GaugeSnapshot(new MetricMetadata("pgha_t_stamped", "Stamped."),
            List.of(new GaugeDataPointSnapshot(1, scope, null, 1_700_000_000_000L))),
        new GaugeSnapshot(new MetricMetadata("pgha_t_exemplar", "With an exemplar."),
            List.of(new GaugeDataPointSnapshot(1, scope, Exemplar.builder().value(1).traceId("abc").build()))));
    for (MetricSnapshot s : unsupported) {
      ScrapeResult result = ScrapeResult.of(List.of(s));
      assertThatThrownBy(() -> own(result, PageWriter.Format.OPENMETRICS))
          .as(s.getMetadata().getName()).isInstanceOf(PageWriter.Unsupported.class);
    }
    // Names outside the classic character set client_java writes as their Prometheus names (dots
    // and other characters made underscores); so does PageWriter.
    assertSame(ScrapeResult.of(List.of(
        new GaugeSnapshot(new MetricMetadata("pgha.t.dotted", "Dotted."),
            List.of(new GaugeDataPointSnapshot(1, Labels.of("scope.name", "main", "größe", "x"), null))),
        new GaugeSnapshot(new MetricMetadata("pgha_t_größe", "Größe."), List.of(new GaugeDataPointSnapshot(1, scope, null))),
        new GaugeSnapshot(new MetricMetadata("pgha_t_helpless"), List.of(new GaugeDataPointSnapshot(1, scope, null))))));
  }

  @Test
  void aHistogramCountedWithoutItsBucketsIsLeftToClientJava() {
    HistogramDataPointSnapshot onlySum = HistogramDataPointSnapshot.builder().sum(2)
        .nativeSchema(0).nativeZeroCount(3).labels(Labels.of("scope", "a")).build();
    ScrapeResult result = ScrapeResult.of(List.of(new io.prometheus.metrics.model.snapshots.HistogramSnapshot(
        new MetricMetadata("pgha_t_native_seconds", "Native."), List.of(onlySum))));
    assertThatThrownBy(() -> own(result, PageWriter.Format.PROMETHEUS_TEXT)).isInstanceOf(PageWriter.Unsupported.class);
  }

  private static String own(ScrapeResult result, PageWriter.Format format) {
    return TextExposition.own(result, format);
  }

  private static void assertSame(ScrapeResult result) {
    TextExposition.sameSeries(result, own(result, PageWriter.Format.PROMETHEUS_TEXT),
        TextExposition.clientJava(PrometheusTextFormatWriter.create(), result.snapshots()));
    TextExposition.sameSeries(result, own(result, PageWriter.Format.OPENMETRICS),
        TextExposition.clientJava(OpenMetricsTextFormatWriter.create(), result.snapshots()));
  }
}
