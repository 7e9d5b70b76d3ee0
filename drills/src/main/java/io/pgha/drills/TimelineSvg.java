package io.pgha.drills;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a {@link Timeline} as a standalone SVG: writes acknowledged and failed per 100 ms, the leader
 * key's holder, the primary, each replica's replay lag, and a line for the fault, the restore, the
 * convergence and every alert delivered. Pure: the same timeline always gives the same text.
 */
public final class TimelineSvg {

  static final int WIDTH = 1000;
  static final int LEFT = 150;
  static final int RIGHT = 20;
  static final int PLOT = WIDTH - LEFT - RIGHT;
  static final String[] MEMBER_COLOURS = {"#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"};
  static final String OK = "#2ca02c";
  static final String FAILED = "#d62728";
  static final String NOBODY = "#bbbbbb";
  static final String UNKNOWN = "#eeeeee";
  /** Two members at once: two primaries, or two servers UP in the write backend. */
  static final String SEVERAL = "#8b0000";

  private final Timeline t;
  private final StringBuilder svg = new StringBuilder();

  private TimelineSvg(Timeline t) {
    this.t = t;
  }

  public static String render(Timeline timeline) {
    return new TimelineSvg(timeline).draw();
  }

  private String draw() {
    int labelRows = Math.min(4, Math.max(1, t.markers().size()));
    int top = 44 + labelRows * 14;
    int okTop = top + 8;
    int okHeight = 60;
    int failTop = okTop + okHeight + 10;
    int failHeight = 40;
    int keyTop = failTop + failHeight + 12;
    int primaryTop = keyTop + 26;
    int routeTop = primaryTop + 26;
    int lagTop = routeTop + 36;
    int lagHeight = 70;
    int axis = lagTop + lagHeight + 8;
    int legend = axis + 34;
    int height = legend + 20;

    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, height, WIDTH, height));
    svg.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>%n",
        WIDTH, height));
    text(10, 18, "font-size=\"15\" font-weight=\"bold\"", t.title());
    text(10, 34, "fill=\"#444\"", t.subtitle());

    bars(t.writesOk(), okTop, okHeight, OK, "writes ok /100 ms", false);
    bars(t.writesFailed(), failTop, failHeight, FAILED, "writes failed /100 ms", true);
    segments(t.leaderKey(), keyTop, "leader key (etcd)");
    segments(t.primary(), primaryTop, "primary (PostgreSQL)");
    segments(t.writeRoute(), routeTop, "HAProxy write route");
    lag(lagTop, lagHeight);
    axis(axis);
    markers(top - labelRows * 14, labelRows, okTop, axis);
    legend(legend);
    svg.append("</svg>\n");
    return svg.toString();
  }

  private double x(long millis) {
    long span = Math.max(1, t.toMillis() - t.fromMillis());
    return LEFT + (double) (millis - t.fromMillis()) * PLOT / span;
  }

  private void bars(int[] values, int top, int height, String colour, String label, boolean downwards) {
    int max = 1;
    for (int v : values) {
      max = Math.max(max, v);
    }
    text(10, top + height / 2 + 4, "", label);
    text(LEFT - 6, top + (downwards ? height : 9), "text-anchor=\"end\" fill=\"#666\" font-size=\"9\"",
        "max " + max);
    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" "
        + "stroke=\"#ddd\"/>%n", LEFT, top, PLOT, height));
    double w = (double) PLOT / Math.max(1, values.length);
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (values[i] == 0) {
        continue;
      }
      double h = (double) values[i] * height / max;
      double x0 = LEFT + i * w;
      double y0 = downwards ? top : top + height - h;
      path.append(String.format(Locale.ROOT, "M%.1f %.1fh%.2fv%.1fh%.2fz", x0, y0, Math.max(w, 0.6), h,
          -Math.max(w, 0.6)));
    }
    if (!path.isEmpty()) {
      svg.append("<path fill=\"").append(colour).append("\" d=\"").append(path).append("\"/>\n");
    }
  }

  private void segments(List<Timeline.Segment> segments, int top, String label) {
    text(10, top + 15, "", label);
    for (Timeline.Segment s : segments) {
      double x0 = x(s.fromMillis());
      double x1 = x(s.toMillis());
      String fill = colour(s.label());
      svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\"/>%n",
          x0, top, Math.max(0.5, x1 - x0), fill));
      if (x1 - x0 > 40) {
        String name = s.label() == null ? "none" : s.label().equals(Timeline.UNKNOWN) ? "unknown" : s.label();
        text((x0 + x1) / 2, top + 14, "text-anchor=\"middle\" fill=\"" + (s.label() == null
            || s.label().equals(Timeline.UNKNOWN) ? "#333" : "white") + "\"", s.label() != null
            && s.label().equals(Timeline.DOWN) ? "HAProxy down" : name);
      }
    }
  }

  private String colour(String label) {
    if (label == null) {
      return NOBODY;
    }
    if (label.equals(Timeline.UNKNOWN)) {
      return UNKNOWN;
    }
    if (label.equals(Timeline.DOWN)) {
      return FAILED;
    }
    if (label.contains("+")) {
      return SEVERAL;
    }
    int i = t.members().indexOf(label);
    return i < 0 ? "#000000" : MEMBER_COLOURS[i % MEMBER_COLOURS.length];
  }

  private void lag(int top, int height) {
    text(10, top + height / 2 - 2, "", "replica replay lag");
    text(10, top + height / 2 + 11, "fill=\"#666\" font-size=\"9\"", "(bytes behind the primary)");
    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" "
        + "stroke=\"#ddd\"/>%n", LEFT, top, PLOT, height));
    double max = 0;
    for (double[] series : t.lagBytes().values()) {
      for (double v : series) {
        if (!Double.isNaN(v)) {
          max = Math.max(max, v);
        }
      }
    }
    text(LEFT - 6, top + 9, "text-anchor=\"end\" fill=\"#666\" font-size=\"9\"", "max " + Fmt.bytes((long) max));
    double scale = max <= 0 ? 0 : (height - 4) / max;
    for (Map.Entry<String, double[]> e : t.lagBytes().entrySet()) {
      double[] series = e.getValue();
      List<String> runs = new ArrayList<>();
      StringBuilder run = new StringBuilder();
      for (int i = 0; i < series.length; i++) {
        if (Double.isNaN(series[i])) {
          if (!run.isEmpty()) {
            runs.add(run.toString());
            run.setLength(0);
          }
          continue;
        }
        double px = x(t.fromMillis() + i * t.bucketMillis() + t.bucketMillis() / 2);
        double py = top + height - 2 - series[i] * scale;
        run.append(run.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", px, py));
      }
      if (!run.isEmpty()) {
        runs.add(run.toString());
      }
      for (String points : runs) {
        svg.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(colour(e.getKey()))
            .append("\" points=\"").append(points).append("\"/>\n");
      }
    }
  }

  private void axis(int y) {
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
        LEFT, y, LEFT + PLOT, y));
    long span = t.toMillis() - t.fromMillis();
    long step = span <= 40_000 ? 5_000 : span <= 120_000 ? 10_000 : span <= 300_000 ? 30_000 : 60_000;
    long first = Math.floorDiv(t.fromMillis() - t.zeroMillis(), step) * step;
    for (long rel = first; t.zeroMillis() + rel <= t.toMillis(); rel += step) {
      long at = t.zeroMillis() + rel;
      if (at < t.fromMillis()) {
        continue;
      }
      double px = x(at);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>%n",
          px, y, px, y + 4));
      text(px, y + 15, "text-anchor=\"middle\"", (rel > 0 ? "+" : rel < 0 ? "\u2212" : "") + Math.abs(rel / 1000) + " s");
    }
    text(10, y + 15, "fill=\"#666\"", "time from the fault");
  }

  private void markers(int labelTop, int rows, int plotTop, int plotBottom) {
    int i = 0;
    for (Timeline.Marker m : t.markers()) {
      String colour = switch (m.kind()) {
        case FAULT -> FAILED;
        case RESTORE -> "#1f77b4";
        case CONVERGED -> OK;
        case EVENT -> "#555555";
        case ALERT_FIRING -> "#e377c2";
        case ALERT_RESOLVED -> "#7f7f7f";
      };
      double px = x(m.atMillis());
      int labelY = labelTop + 11 + (i % rows) * 14;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
          + "stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>%n", px, labelY + 2, px, plotBottom, colour));
      String anchor = px > LEFT + PLOT * 0.8 ? "end" : "start";
      String rel = String.format(Locale.ROOT, "%+.1f s", (m.atMillis() - t.zeroMillis()) / 1000.0);
      text(px + (anchor.equals("start") ? 3 : -3), labelY, "text-anchor=\"" + anchor + "\" fill=\"" + colour + "\"",
          m.label() + " " + rel);
      i++;
    }
  }

  private void legend(int y) {
    double x = LEFT;
    for (String m : t.members()) {
      legendItem(x, y, colour(m), m);
      x += 70;
    }
    legendItem(x, y, SEVERAL, "two at once");
    legendItem(x + 100, y, NOBODY, "none");
    legendItem(x + 170, y, UNKNOWN, "unknown");
    legendItem(x + 260, y, FAILED, "HAProxy down");
    legendItem(x + 370, y, "#e377c2", "alert delivered");
  }

  private void legendItem(double x, int y, String colour, String label) {
    svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\" "
        + "stroke=\"#999\"/>%n", x, y - 10, colour));
    text(x + 16, y, "", label);
  }

  private void text(double x, double y, String attributes, String content) {
    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\"%s>%s</text>%n", x, y,
        attributes.isEmpty() ? "" : " " + attributes, escape(content)));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
