package io.pgha.drills;

import io.pgha.traffic.TrafficWindow;
import io.pgha.traffic.TrafficWindows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.ToLongFunction;

/**
 * What a drill's timeline picture shows, in 100 ms buckets from the start of its traffic to its end:
 * writes acknowledged and failed, who held the leader key, which PostgreSQL ran as primary, where
 * HAProxy routed writes, each
 * replica's replay lag, and the moments (fault, restore, convergence, each alert delivered). Pure.
 *
 * @param zeroMillis the fault: the axis counts from it
 * @param lagBytes per member, its replay lag behind the primary in each bucket (NaN: not known then)
 */
public record Timeline(String title, String subtitle, long fromMillis, long toMillis, long zeroMillis,
                       long bucketMillis, int[] writesOk, int[] writesFailed, List<Segment> leaderKey,
                       List<Segment> primary, List<Segment> writeRoute, Map<String, double[]> lagBytes, List<Marker> markers,
                       List<String> members) {

  /** A stretch of time with one label: a member, {@code null} for nobody, {@code ?} for unknown. */
  public record Segment(long fromMillis, long toMillis, String label) {
  }

  /** A vertical line on the picture. */
  public record Marker(long atMillis, Kind kind, String label) {
    public enum Kind { FAULT, RESTORE, CONVERGED, EVENT, ALERT_FIRING, ALERT_RESOLVED }
  }

  public static final String UNKNOWN = "?";
  /** HAProxy itself not answering. */
  public static final String DOWN = "down";

  public static Timeline of(DrillResult result) {
    DrillRecording r = result.recording();
    long bucket = TrafficWindows.BUCKET_MILLIS;
    long from = r.startedAtMillis() < 0 ? r.faultAtMillis() : r.startedAtMillis();
    long to = Math.max(from + bucket, r.endedAtMillis());
    List<TrafficWindow> windows = TrafficWindows.buckets(r.outcomes(), from, to, bucket);
    int n = windows.size();
    int[] ok = new int[n];
    int[] failed = new int[n];
    for (int i = 0; i < n; i++) {
      ok[i] = windows.get(i).writesOk();
      failed[i] = windows.get(i).writesFailed();
    }
    String subtitle = r.plan().kind().fault() + " (" + r.target() + "); " + (result.passed() ? "PASS" : "FAIL");
    return new Timeline(r.plan().title(), subtitle, from, from + n * bucket, r.faultAtMillis(), bucket, ok, failed,
        keySegments(r, from, n, bucket), primarySegments(r, from, n, bucket), routeSegments(r, from, n, bucket),
        lag(r, from, n, bucket),
        markers(r, from, to), r.facts().members());
  }

  private static List<Segment> keySegments(DrillRecording r, long from, int n, long bucket) {
    String[] labels = new String[n];
    String[] current = {UNKNOWN};
    walk(r.leaderKeys(), LeaderKeySample::atMillis, from, n, bucket, s -> {
      if (s.atMillis() >= from) {
        current[0] = s.answered() ? s.holder() : UNKNOWN;
      }
    }, i -> labels[i] = current[0]);
    return merge(labels, from, bucket);
  }

  /** The server(s) HAProxy's write backend had UP in each bucket. */
  private static List<Segment> routeSegments(DrillRecording r, long from, int n, long bucket) {
    String[] labels = new String[n];
    String[] current = {UNKNOWN};
    walk(r.routes(), RouteSample::atMillis, from, n, bucket,
        s -> current[0] = !s.answered() ? DOWN : s.writeUp().isEmpty() ? null : String.join("+", s.writeUp()),
        i -> labels[i] = current[0]);
    return merge(labels, from, bucket);
  }

  /** The member(s) seen running as primary in each bucket, carried over buckets without a sample. */
  private static List<Segment> primarySegments(DrillRecording r, long from, int n, long bucket) {
    Map<String, Boolean> state = new LinkedHashMap<>();
    r.facts().members().forEach(m -> state.put(m, null));
    String[] labels = new String[n];
    walk(r.positions(), PositionSample::atMillis, from, n, bucket, p -> state.put(p.member(), p.primary()), i -> {
      List<String> primaries = state.entrySet().stream().filter(e -> Boolean.TRUE.equals(e.getValue()))
          .map(Map.Entry::getKey).sorted().toList();
      boolean anyKnown = state.values().stream().anyMatch(Objects::nonNull);
      labels[i] = !anyKnown ? UNKNOWN : primaries.isEmpty() ? null : String.join("+", primaries);
    });
    return merge(labels, from, bucket);
  }

  private static Map<String, double[]> lag(DrillRecording r, long from, int n, long bucket) {
    Map<String, double[]> lag = new LinkedHashMap<>();
    Map<String, PositionSample> last = new LinkedHashMap<>();
    for (String m : r.facts().members()) {
      double[] series = new double[n];
      java.util.Arrays.fill(series, Double.NaN);
      lag.put(m, series);
    }
    walk(r.positions(), PositionSample::atMillis, from, n, bucket, p -> last.put(p.member(), p), i -> {
      long end = from + (i + 1) * bucket;
      // Only samples of the last second count: an old position says nothing about now.
      List<PositionSample> fresh = last.values().stream().filter(p -> p.atMillis() >= end - 1000).toList();
      fresh.stream().filter(PositionSample::primary).max(Comparator.comparingLong(PositionSample::walBytes))
          .ifPresent(primary -> {
            for (PositionSample p : fresh) {
              if (p.reachable() && !p.primary() && p.walBytes() >= 0 && lag.containsKey(p.member())) {
                lag.get(p.member())[i] = Math.max(0, primary.walBytes() - p.walBytes());
              }
            }
          });
    });
    lag.values().removeIf(series -> java.util.Arrays.stream(series).allMatch(Double::isNaN));
    return lag;
  }

  private static List<Marker> markers(DrillRecording r, long from, long to) {
    List<Marker> out = new ArrayList<>();
    for (Mark m : r.marks()) {
      Marker.Kind kind = switch (m.kind()) {
        case FAULT -> Marker.Kind.FAULT;
        case RESTORE -> Marker.Kind.RESTORE;
        case CONVERGED -> Marker.Kind.CONVERGED;
        case EVENT -> Marker.Kind.EVENT;
      };
      out.add(new Marker(m.atMillis(), kind, shortLabel(m)));
    }
    List<String> seen = new ArrayList<>();
    for (AlertSeen a : r.alerts()) {
      String key = a.alertname() + a.labels() + a.status() + a.line();
      if (a.seenAtMillis() < from || a.seenAtMillis() > to || seen.contains(key)) {
        continue;
      }
      seen.add(key);
      out.add(new Marker(a.seenAtMillis(), a.firing() ? Marker.Kind.ALERT_FIRING : Marker.Kind.ALERT_RESOLVED,
          a.alertname() + (a.firing() ? "" : " resolved")));
    }
    out.sort(Comparator.comparingLong(Marker::atMillis));
    return out;
  }

  private static String shortLabel(Mark m) {
    return switch (m.kind()) {
      case FAULT -> "fault";
      case RESTORE -> "restore";
      case CONVERGED -> "healthy";
      case EVENT -> m.label().length() > 40 ? m.label().substring(0, 40) + "..." : m.label();
    };
  }

  /**
   * Walks the buckets [from + i * bucket, from + (i + 1) * bucket) in order: each sample (in the
   * order recorded) goes to {@code sample} before the first bucket that ends after it, then
   * {@code bucketDone} is told the bucket's index.
   */
  private static <S> void walk(List<S> samples, ToLongFunction<S> at, long from, int n, long bucket,
      Consumer<S> sample, IntConsumer bucketDone) {
    int k = 0;
    for (int i = 0; i < n; i++) {
      long end = from + (i + 1) * bucket;
      while (k < samples.size() && at.applyAsLong(samples.get(k)) < end) {
        sample.accept(samples.get(k++));
      }
      bucketDone.accept(i);
    }
  }

  private static List<Segment> merge(String[] labels, long from, long bucket) {
    List<Segment> out = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= labels.length; i++) {
      if (i == labels.length || !Objects.equals(labels[i], labels[start])) {
        out.add(new Segment(from + start * bucket, from + i * bucket, labels[start]));
        start = i;
      }
    }
    return out;
  }
}
