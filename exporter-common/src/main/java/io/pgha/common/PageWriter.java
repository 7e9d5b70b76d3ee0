package io.pgha.common;

import io.netty.buffer.Unpooled;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a scrape's page in the Prometheus text format (0.0.4) or in OpenMetrics (1.0.0), straight
 * into bytes: the text client_java's writers give for the same families (the unit tests compare the
 * two on every golden scrape), but written part after part ({@link ScrapeResult}) instead of from one
 * sorted snapshot per family, without a character writer in between, and with whole numbers printed
 * without {@link Double#toString}. A page of a hundred scopes (1.3 MB, 15,700 series) took client_java
 * about 11 ms of CPU to merge and write, this about 5 (C1, 64 MB serial heap, the same bytes).
 *
 * <p>It writes what pgha's declared families make: gauges, counters and classic histograms, without
 * units, exemplars, timestamps or names outside Prometheus's classic character set. Anything else
 * throws {@link Unsupported} before a byte of the family is trusted, and the page is left to
 * client_java's writer. One writer per page.
 */
final class PageWriter {
  /** The two text formats written here; the others (protobuf) stay client_java's. */
  enum Format {
    PROMETHEUS_TEXT, OPENMETRICS
  }

  /** What the page holds that this writer does not write; the caller uses client_java's writer. */
  static final class Unsupported extends RuntimeException {
    Unsupported(String what) {
      super(what, null, false, false);
    }
  }

  /** Below this magnitude a whole number is printed as Double.toString prints it: digits and ".0". */
  private static final double PLAIN_WHOLE_LIMIT = 1e7;
  private static final byte[] INF = "+Inf".getBytes(StandardCharsets.US_ASCII);

  private byte[] buf;
  private int len;

  PageWriter(int initialBytes) {
    buf = new byte[Math.max(64, initialBytes)];
  }

  /** The page, in a buffer that wraps the writer's array (not copied). */
  Buffer write(ScrapeResult result, Format format) {
    len = 0;
    boolean om = format == Format.OPENMETRICS;
    for (ScrapeResult.Family family : result.families()) {
      if (family.points() > 0) {
        family(family, om);
      }
    }
    if (om) {
      ascii("# EOF\n");
    }
    return BufferInternal.buffer(Unpooled.wrappedBuffer(buf, 0, len));
  }

  private void family(ScrapeResult.Family family, boolean om) {
    MetricSnapshot first = family.first();
    MetricMetadata meta = family.metadata();
    if (meta.hasUnit()) {
      throw new Unsupported(meta.getPrometheusName() + " has a unit");
    }
    String name = legacyName(meta.getPrometheusName());
    String type;
    String sampleName;
    if (first instanceof GaugeSnapshot) {
      type = "gauge";
      sampleName = name;
    } else if (first instanceof CounterSnapshot) {
      type = "counter";
      sampleName = name + "_total";
    } else if (first instanceof HistogramSnapshot h && !h.isGaugeHistogram()) {
      type = "histogram";
      sampleName = name;
    } else {
      throw new Unsupported(name + " is a " + first.getClass().getSimpleName());
    }
    String header = om ? name : sampleName;
    if (om) {
      ascii("# TYPE ").ascii(header).b(' ').ascii(type).b('\n');
      help(header, meta.getHelp(), true);
    } else {
      help(header, meta.getHelp(), false);
      ascii("# TYPE ").ascii(header).b(' ').ascii(type).b('\n');
    }
    byte[] sample = sampleName.getBytes(StandardCharsets.US_ASCII);
    for (MetricSnapshot part : family.parts()) {
      for (DataPointSnapshot p : part.getDataPoints()) {
        if (p.hasScrapeTimestamp() || p.hasCreatedTimestamp()) {
          throw new Unsupported(name + " has a point with a timestamp");
        }
        if (p instanceof GaugeDataPointSnapshot g) {
          if (g.getExemplar() != null) {
            throw new Unsupported(name + " has an exemplar");
          }
          line(sample, null, p.getLabels(), null, g.getValue());
        } else if (p instanceof CounterDataPointSnapshot c) {
          if (c.getExemplar() != null) {
            throw new Unsupported(name + " has an exemplar");
          }
          line(sample, null, p.getLabels(), null, c.getValue());
        } else {
          histogram(name, sample, (HistogramDataPointSnapshot) p);
        }
      }
    }
  }

  private void histogram(String name, byte[] sample, HistogramDataPointSnapshot h) {
    if (!h.hasClassicHistogramData() || h.hasNativeHistogramData() || h.getExemplars().size() > 0 || !h.hasSum()) {
      throw new Unsupported(name + " is not a classic histogram with a sum and no exemplars");
    }
    ClassicHistogramBuckets buckets = h.getClassicBuckets();
    long cumulative = 0;
    for (int i = 0; i < buckets.size(); i++) {
      cumulative += buckets.getCount(i);
      double bound = buckets.getUpperBound(i);
      line(sample, "_bucket", h.getLabels(), bound, cumulative);
    }
    if (h.hasCount() && h.getCount() != cumulative) {
      throw new Unsupported(name + " has a count other than its buckets'");
    }
    line(sample, "_count", h.getLabels(), null, cumulative);
    line(sample, "_sum", h.getLabels(), null, h.getSum());
  }

  /** {@code name[suffix]{labels[,le="bound"]} value}. */
  private void line(byte[] name, String suffix, Labels labels, Double le, double value) {
    head(name, suffix, labels, le);
    dbl(value).b('\n');
  }

  private void line(byte[] name, String suffix, Labels labels, Double le, long value) {
    head(name, suffix, labels, le);
    lng(value).b('\n');
  }

  private void head(byte[] name, String suffix, Labels labels, Double le) {
    bytes(name);
    if (suffix != null) {
      ascii(suffix);
    }
    int n = labels.size();
    if (n > 0 || le != null) {
      b('{');
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          b(',');
        }
        labelName(labels.getPrometheusName(i));
        b('=').b('"');
        escaped(labels.getValue(i), true);
        b('"');
      }
      if (le != null) {
        if (n > 0) {
          b(',');
        }
        ascii("le=\"");
        if (le == Double.POSITIVE_INFINITY) {
          bytes(INF);
        } else {
          dbl(le);
        }
        b('"');
      }
      b('}');
    }
    b(' ');
  }

  private void help(String name, String help, boolean escapeQuotes) {
    if (help == null) {
      return;
    }
    ascii("# HELP ").ascii(name).b(' ');
    escaped(help, escapeQuotes);
    b('\n');
  }

  /** A metric name of Prometheus's classic character set, else {@link Unsupported}. */
  private static String legacyName(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (!classic(name.charAt(i), i, true)) {
        throw new Unsupported("metric name " + name);
      }
    }
    return name;
  }

  /** Whether {@code c} may stand at {@code i} in a classic name: letters, '_', digits after the first, ':' in metric names. */
  private static boolean classic(char c, int i, boolean colon) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || colon && c == ':' || i > 0 && c >= '0' && c <= '9';
  }

  private void labelName(String label) {
    int n = label.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      char c = label.charAt(i);
      if (!classic(c, i, false)) {
        throw new Unsupported("label name " + label);
      }
      buf[len++] = (byte) c;
    }
  }

  /** Backslash and newline escaped, and the double quote too where asked; UTF-8 otherwise. */
  private void escaped(String s, boolean quotes) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80 || c == '\\' || c == '\n' || c == '"' && quotes) {
        escapedRest(s, i, quotes);
        return;
      }
      buf[len++] = (byte) c;
    }
  }

  private void escapedRest(String s, int from, boolean quotes) {
    StringBuilder out = new StringBuilder(s.length() - from + 8);
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '"' -> out.append(quotes ? "\\\"" : "\"");
        default -> out.append(c);
      }
    }
    bytes(out.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** As {@link Double#toString} prints it (the text client_java writes), without it for small whole numbers. */
  private PageWriter dbl(double d) {
    if (d == Math.rint(d) && Math.abs(d) < PLAIN_WHOLE_LIMIT && (d != 0 || Double.doubleToRawLongBits(d) == 0)) {
      return lng((long) d).b('.').b('0');
    }
    if (Double.isNaN(d)) {
      return ascii("NaN");
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? bytes(INF) : ascii("-Inf");
    }
    return ascii(Double.toString(d));
  }

  private PageWriter lng(long v) {
    ensure(20);
    if (v == Long.MIN_VALUE) {
      return ascii(Long.toString(v));
    }
    if (v < 0) {
      buf[len++] = '-';
      v = -v;
    }
    int start = len;
    do {
      buf[len++] = (byte) ('0' + v % 10);
      v /= 10;
    } while (v > 0);
    for (int i = start, j = len - 1; i < j; i++, j--) {
      byte t = buf[i];
      buf[i] = buf[j];
      buf[j] = t;
    }
    return this;
  }

  private PageWriter ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
    return this;
  }

  private PageWriter bytes(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
    return this;
  }

  private PageWriter b(char c) {
    ensure(1);
    buf[len++] = (byte) c;
    return this;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }
}
