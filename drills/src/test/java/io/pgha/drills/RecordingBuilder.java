package io.pgha.drills;

import io.pgha.etcd.EtcdMetrics;
import io.pgha.lab.alerts.PrometheusAlert;
import io.pgha.lab.client.LeaderEventsApi;
import io.pgha.patroni.PatroniMetrics;
import io.pgha.patroni.api.HistoryEntry;
import io.pgha.promkit.Exposition;
import io.pgha.traffic.LedgerCheck;
import io.pgha.traffic.LedgerEntry;
import io.pgha.traffic.OperationOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Made-up drill recordings for the pure parts: times are milliseconds from T0 (the start of the traffic),
 * writes every 40 ms, positions and the leader key every 100 ms, metrics every 250 ms.
 */
final class RecordingBuilder {

  static final long T0 = Instant.parse("2025-06-01T12:00:00Z").toEpochMilli();

  private final DrillPlan plan;
  private ClusterFacts facts = new ClusterFacts("pgha", 10, 2, 4, "pg-1", List.of("pg-1", "pg-2", "pg-3"),
      List.of("etcd-1", "etcd-2", "etcd-3"));
  private String target = "pg-1";
  private long steady = 3_000;
  private long fault = 5_000;
  private long restore = -1;
  private long converged = -1;
  private long end = 30_000;
  private final List<Mark> marks = new ArrayList<>();
  private final List<OperationOutcome> outcomes = new ArrayList<>();
  private final List<MetricsSample> metrics = new ArrayList<>();
  private final List<PositionSample> positions = new ArrayList<>();
  private final List<LeaderKeySample> keys = new ArrayList<>();
  private final List<RouteSample> routes = new ArrayList<>();
  private final List<AlertSeen> alerts = new ArrayList<>();
  private final List<PrometheusAlert> active = new ArrayList<>();
  private int acknowledged;
  private int lost;
  private final List<LedgerEntry> lostAt = new ArrayList<>();
  private List<HistoryEntry> history = List.of();
  private String leaderAtEnd;
  private List<String> streaming = List.of();
  private final List<String> problems = new ArrayList<>();
  private final List<LedgerEntry> acknowledgedWrites = new ArrayList<>();
  private final Map<String, Long> timelines = new java.util.HashMap<>();
  private final Map<String, Long> values = new java.util.HashMap<>();
  private HeldSession held;
  private boolean rereadDiffers;
  private final List<LeaderEventsApi.Event> exporterEvents = new ArrayList<>();

  RecordingBuilder(DrillPlan plan) {
    this.plan = plan;
  }

  static RecordingBuilder of(DrillKind kind) {
    return new RecordingBuilder(new DrillPlan(kind, false, null, null));
  }

  RecordingBuilder facts(ClusterFacts f) {
    this.facts = f;
    return this;
  }

  RecordingBuilder target(String t) {
    this.target = t;
    return this;
  }

  RecordingBuilder times(long steadyAt, long faultAt, long restoreAt, long convergedAt, long endAt) {
    this.steady = steadyAt;
    this.fault = faultAt;
    this.restore = restoreAt;
    this.converged = convergedAt;
    this.end = endAt;
    marks.add(new Mark(T0 + faultAt, Mark.Kind.FAULT, "fault"));
    if (restoreAt >= 0) {
      marks.add(new Mark(T0 + restoreAt, Mark.Kind.RESTORE, "restore"));
    }
    if (convergedAt >= 0) {
      marks.add(new Mark(T0 + convergedAt, Mark.Kind.CONVERGED, "healthy"));
    }
    return this;
  }

  /** Writes every 40 ms in [from, to), acknowledged by member (null: failed). */
  RecordingBuilder writes(long from, long to, String member) {
    for (long t = from; t < to; t += 40) {
      if (member == null) {
        outcomes.add(OperationOutcome.failed(OperationOutcome.Kind.WRITE, T0 + t - 2, T0 + t,
            "08001 Connection to 127.0.0.1:5000 refused"));
      } else {
        outcomes.add(OperationOutcome.ok(OperationOutcome.Kind.WRITE, T0 + t - 2, T0 + t, member, true));
        acknowledgedWrites.add(new LedgerEntry(new UUID(1, acknowledged), T0 + t, member,
            timelines.getOrDefault(member, 1L)));
        acknowledged++;
      }
    }
    return this;
  }

  /** Writes acknowledged by {@code member} from now on went to {@code timeline} (1 by default). */
  RecordingBuilder timeline(String member, long timeline) {
    timelines.put(member, timeline);
    return this;
  }

  /** An acknowledged write at {@code at} on {@code timeline}, by {@code member}, outside the traffic. */
  RecordingBuilder acknowledged(long at, String member, long timeline) {
    acknowledgedWrites.add(new LedgerEntry(new UUID(2, acknowledgedWrites.size()), T0 + at, member, timeline));
    return this;
  }

  RecordingBuilder held(HeldSession session) {
    this.held = session;
    return this;
  }

  RecordingBuilder value(String name, long v) {
    values.put(name, v);
    return this;
  }

  /** The ledger read back from its file finds one more lost write than the check at the stop. */
  RecordingBuilder rereadDiffers() {
    this.rereadDiffers = true;
    return this;
  }

  RecordingBuilder reads(long from, long to, String member, boolean primary) {
    for (long t = from; t < to; t += 40) {
      outcomes.add(OperationOutcome.ok(OperationOutcome.Kind.READ, T0 + t - 2, T0 + t, member, primary));
    }
    return this;
  }

  /** The leader key every 100 ms in [from, to); holder null = vacant; answered false = no etcd answer. */
  RecordingBuilder key(long from, long to, String holder, boolean answered) {
    for (long t = from; t < to; t += 100) {
      keys.add(new LeaderKeySample(T0 + t, answered, holder));
    }
    return this;
  }

  /**
   * The leader key every 100 ms in [from, to) held by {@code holder}, with the {@code status} key
   * rewritten (a lease renewal) every {@code renewEvery} ms from {@code from}, starting at revision 100.
   */
  RecordingBuilder keyRenewed(long from, long to, String holder, long renewEvery) {
    for (long t = from; t < to; t += 100) {
      keys.add(new LeaderKeySample(T0 + t, true, holder, 100 + (t - from) / renewEvery));
    }
    return this;
  }

  /**
   * What exporter-etcd told about a change: detected {@code at}, {@code vacancyMillis}, WAL at risk
   * ({@code -1}: not told).
   */
  RecordingBuilder exporterEvent(String from, String to, String kind, long at, long vacancyMillis, long walAtRisk) {
    exporterEvents.add(0, new LeaderEventsApi.Event("pgha", java.util.Optional.of(from), java.util.Optional.of(to),
        java.util.Optional.of(kind), false, false, java.util.Optional.of(Instant.ofEpochMilli(T0 + at)),
        java.util.Optional.of(Instant.ofEpochMilli(T0 + at - vacancyMillis)), java.util.OptionalDouble.of(vacancyMillis / 1000.0),
        java.util.OptionalDouble.empty(), java.util.Optional.empty(), java.util.Optional.empty(), java.util.OptionalLong.of(3),
        java.util.Optional.of("0/3000000"), java.util.OptionalLong.of(50331648), java.util.OptionalLong.empty(),
        walAtRisk < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(walAtRisk), java.util.Optional.empty(),
        java.util.Optional.empty()));
    return this;
  }

  /** HAProxy's write backend routing to {@code write} (none when null) every 100 ms in [from, to). */
  RecordingBuilder route(long from, long to, String write) {
    for (long t = from; t < to; t += 100) {
      routes.add(new RouteSample(T0 + t, true, write == null ? List.of() : List.of(write), List.of()));
    }
    return this;
  }

  /** A member's position every 100 ms in [from, to), growing by {@code perSample} bytes from {@code wal}. */
  RecordingBuilder position(String member, long from, long to, boolean primary, long wal, long perSample) {
    long w = wal;
    for (long t = from; t < to; t += 100) {
      positions.add(new PositionSample(T0 + t, member, true, primary, w));
      w += perSample;
    }
    return this;
  }

  RecordingBuilder unreachable(String member, long from, long to) {
    for (long t = from; t < to; t += 100) {
      positions.add(PositionSample.unreachable(T0 + t, member));
    }
    return this;
  }

  /** The same series from {@code source} every 250 ms in [from, to). */
  RecordingBuilder metric(String source, long from, long to, Exposition.Sample... series) {
    for (long t = from; t < to; t += 250) {
      metrics.add(new MetricsSample(T0 + t, source, true, List.of(series)));
    }
    return this;
  }

  /**
   * The exporters seeing pg-2 take over at 15 s, until 30 s: pgha's and etcd's change counters step,
   * Patroni's role and pg-2's own {@code patroni_primary} turn leader and primary.
   */
  RecordingBuilder exportersSeePg2TakeOverAt15s() {
    String patroni = MetricsSample.EXPORTER_PATRONI;
    String etcd = MetricsSample.EXPORTER_ETCD;
    String role = PatroniMetrics.MEMBER_ROLE.name();
    return metric(patroni, 0, 15_000, series(LeaderChange.PGHA_CHANGES, 0), series(role, 0, "member", "pg-2", "role", "leader"))
        .metric(patroni, 15_250, 30_000, series(LeaderChange.PGHA_CHANGES, 1), series(role, 1, "member", "pg-2", "role", "leader"))
        .metric(etcd, 0, 15_000, series(LeaderChange.DCS_CHANGES, 3), series(EtcdMetrics.DCS_LEADER.name(), 0, "member", "pg-2"))
        .metric(etcd, 15_000, 30_000, series(LeaderChange.DCS_CHANGES, 4), series(EtcdMetrics.DCS_LEADER.name(), 1, "member", "pg-2"))
        .metric(MetricsSample.patroni("pg-2"), 0, 15_100, series("patroni_primary", 0))
        .metric(MetricsSample.patroni("pg-2"), 15_100, 30_000, series("patroni_primary", 1));
  }

  RecordingBuilder silent(String source, long from, long to) {
    for (long t = from; t < to; t += 250) {
      metrics.add(new MetricsSample(T0 + t, source, false, List.of()));
    }
    return this;
  }

  RecordingBuilder alert(long at, String status, String name, Map<String, String> labels) {
    alerts.add(new AlertSeen(T0 + at, alerts.size() + 1, status, name, labels));
    return this;
  }

  RecordingBuilder activeBefore(String name, Map<String, String> labels) {
    Map<String, String> all = new java.util.HashMap<>(labels);
    all.put("alertname", name);
    active.add(new PrometheusAlert("firing", Instant.ofEpochMilli(T0), "1", all, Map.of()));
    return this;
  }

  RecordingBuilder lost(int n) {
    this.lost = n;
    return this;
  }

  /** One more acknowledged write missing on the new leader: acknowledged at {@code at} by {@code member}. */
  RecordingBuilder lostAt(long at, String member) {
    lostAt.add(new LedgerEntry(new UUID(4, lostAt.size()), T0 + at, member));
    return this;
  }

  RecordingBuilder history(HistoryEntry... entries) {
    this.history = List.of(entries);
    return this;
  }

  RecordingBuilder end(String leader, String... streamingReplicas) {
    this.leaderAtEnd = leader;
    this.streaming = List.of(streamingReplicas);
    return this;
  }

  RecordingBuilder problem(String p) {
    problems.add(p);
    return this;
  }

  static Exposition.Sample series(String name, double value, String... labels) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      map.put(labels[i], labels[i + 1]);
    }
    return new Exposition.Sample(name, map, value);
  }

  DrillRecording build() {
    List<LedgerEntry> missing = new ArrayList<>();
    for (int i = 0; i < lost; i++) {
      missing.add(new LedgerEntry(new UUID(0, i), T0 + fault - 100 + i, facts.leaderBefore()));
    }
    missing.addAll(lostAt);
    outcomes.sort(Comparator.comparingLong(OperationOutcome::endedAtMillis));
    positions.sort(Comparator.comparingLong(PositionSample::atMillis));
    metrics.sort(Comparator.comparingLong(MetricsSample::atMillis));
    keys.sort(Comparator.comparingLong(LeaderKeySample::atMillis));
    LedgerCheck ledger = LedgerCheck.complete(acknowledged, missing);
    List<LedgerEntry> missingAgain = new ArrayList<>(missing);
    if (rereadDiffers) {
      missingAgain.add(new LedgerEntry(new UUID(3, 0), T0 + fault, facts.leaderBefore()));
    }
    return new DrillRecording(plan, facts, target, T0, T0 + steady, T0 + fault, restore < 0 ? -1 : T0 + restore,
        converged < 0 ? -1 : T0 + converged, T0 + end, marks, outcomes, metrics, positions, keys, routes, alerts, active,
        ledger, history, leaderAtEnd, streaming, acknowledgedWrites, held, LedgerCheck.complete(acknowledged, missingAgain),
        values, problems, exporterEvents);
  }
}
