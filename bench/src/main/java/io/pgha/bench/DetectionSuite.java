package io.pgha.bench;

import io.pgha.etcd.EtcdMetrics;
import io.pgha.lab.deploy.Switchover;
import io.pgha.lab.faults.ClusterFaults;
import io.pgha.lab.topology.Topology;
import io.pgha.patroni.PatroniMetrics;
import io.pgha.promkit.Exposition;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code pgha bench detection}: switchovers and hard kills of the leader, and how soon each view
 * shows the new leader, counted from the moment the leader key changes in etcd (as the bench's own
 * watch sees it). Two ways of looking: a scraper polling every second with a phase of its own (what
 * Prometheus at a 1 s interval would see), and polling that starts at the change and repeats every
 * few milliseconds (how late the exporter itself is: for exporter-etcd, which watches the key, the
 * push path).
 */
final class DetectionSuite {
  record Result(List<DetectionRow> rows, List<LeaderChange> changes, List<String> notes) {}

  private static final Duration PUSH_POLL = Duration.ofMillis(2);
  private static final Duration PATRONI_FAST_POLL = Duration.ofMillis(100);
  private static final Duration STEADY_POLL = Duration.ofSeconds(1);
  private static final Duration GIVE_UP = Duration.ofSeconds(60);
  private static final String QUIET_SERIES = "quiet:";
  private static final String LOADED_SERIES = "loaded:";

  private final BenchContext c;
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream(), true,
      StandardCharsets.UTF_8);

  private final ClusterFaults faults;
  private final Scraper http = new Scraper();

  DetectionSuite(BenchContext context) {
    this.c = context;
    this.faults = new ClusterFaults(context.t, context.installation);
  }

  Result run() throws Exception {
    Topology t = c.t;
    String lo = t.haproxy().host();
    URI etcdExporter = URI.create("http://" + lo + ":" + t.exporters().etcd() + "/metrics");
    URI patroniExporter = URI.create("http://" + lo + ":" + t.exporters().patroni() + "/metrics");
    Map<String, URI> patroniMetrics = new LinkedHashMap<>();
    t.members().forEach(m -> patroniMetrics.put(m.name(), URI.create(m.restUrl() + "/metrics")));

    DetectionLatencyMeter.Target pushBase = DetectionLatencyMeter.Target.pgha(etcdExporter, t.scope(), PUSH_POLL);
    DetectionLatencyMeter.Target push = new DetectionLatencyMeter.Target("push", pushBase.metricsUrl(),
        PUSH_POLL, pushBase.showsLeaderTemplate());
    DetectionLatencyMeter.Target patroniBase = DetectionLatencyMeter.Target.patroni(patroniMetrics, PATRONI_FAST_POLL);
    DetectionLatencyMeter.Target patroniFast = new DetectionLatencyMeter.Target("patroni-fast",
        patroniBase.metricsUrl(), PATRONI_FAST_POLL, patroniBase.showsLeaderTemplate());
    List<DetectionLatencyMeter.Target> meterTargets = List.of(push, patroniFast);

    Map<String, List<Double>> latencies = new LinkedHashMap<>();
    Map<String, Integer> misses = new LinkedHashMap<>();
    for (String series : List.of(QUIET_SERIES, LOADED_SERIES)) {
      for (String k : List.of("push", "dcs-1s", "role-1s", "patroni-1s", "patroni-fast")) {
        latencies.put(series + k, new ArrayList<>());
        misses.put(series + k, 0);
      }
    }
    List<LeaderChange> changes = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    String scope = t.scope();

    faults.awaitHealthy(Duration.ofSeconds(120));
    try (DetectionLatencyMeter meter = new DetectionLatencyMeter(
             t.etcd().stream().map(e -> URI.create(e.clientUrl())).toList(),
             t.namespace() + scope + "/leader", meterTargets).watch();
         LeaderPoller dcs = new LeaderPoller("dcs-1s", STEADY_POLL, () -> membersAtOne(
             http.fetch(etcdExporter).body(), EtcdMetrics.DCS_LEADER.name(), "scope", scope));
         LeaderPoller role = new LeaderPoller("role-1s", STEADY_POLL, () -> membersAtOne(
             http.fetch(patroniExporter).body(), PatroniMetrics.MEMBER_ROLE.name(), "scope", scope, "role", "leader"));
         LeaderPoller patroni = new LeaderPoller("patroni-1s", STEADY_POLL, () -> primaries(patroniMetrics))) {
      List<LeaderPoller> pollers = List.of(dcs, role, patroni);
      int total = c.plan.leaderChanges() + c.plan.loadedLeaderChanges();
      for (int i = 1; i <= total; i++) {
        boolean loaded = i > c.plan.leaderChanges();
        String series = loaded ? LOADED_SERIES : QUIET_SERIES;
        if (i == c.plan.leaderChanges() + 1) {
          c.say("the next %d leader changes with the bench's CPU load: %d busy threads", c.plan.loadedLeaderChanges(),
              c.plan.loadThreads());
        }
        LeaderChange.Fault fault = i % 2 == 1 ? LeaderChange.Fault.SWITCHOVER : LeaderChange.Fault.KILL;
        Topology.Member old = c.awaitLeader(Duration.ofSeconds(30));
        try (CpuLoad load = loaded ? new CpuLoad(c.plan.loadThreads()) : new CpuLoad(0)) {
          changes.add(change(i, total, fault, old, series, meter, meterTargets, pollers, latencies, misses, notes));
        }
        if (fault == LeaderChange.Fault.KILL) {
          long healStart = System.nanoTime();
          faults.heal(QUIET, 180);
          c.say("%s restarted and the cluster ready again after %.1f s", old.name(),
              (System.nanoTime() - healStart) / 1e9);
        }
        faults.awaitHealthy(Duration.ofSeconds(120));
      }
    }
    List<DetectionRow> rows = new ArrayList<>(rows(QUIET_SERIES, "quiet", false, latencies, misses));
    if (c.plan.loadedLeaderChanges() > 0) {
      rows.addAll(rows(LOADED_SERIES, "loaded: " + c.plan.loadThreads() + " busy threads", true, latencies, misses));
    }
    return new Result(rows, changes, notes);
  }

  /** Causes one leader change and records how soon each view showed it; the load, if any, runs until the views did. */
  private LeaderChange change(int i, int total, LeaderChange.Fault fault, Topology.Member old, String series,
      DetectionLatencyMeter meter, List<DetectionLatencyMeter.Target> meterTargets, List<LeaderPoller> pollers,
      Map<String, List<Double>> latencies, Map<String, Integer> misses, List<String> notes) throws Exception {
    int changesBefore = meter.changes().size();
    int samplesBefore = meter.samples().size();
    int missesBefore = meter.misses().size();
    long faultAt = System.nanoTime();
    if (fault == LeaderChange.Fault.SWITCHOVER) {
      switchover();
    } else {
      faults.killMember(old.name());
    }
    DetectionLatencyMeter.Change change = awaitChange(meter, changesBefore, old.name());
    double faultToKey = (change.atNanos() - faultAt) / 1e6;
    awaitMeter(meter, samplesBefore, missesBefore, meterTargets.size());
    for (DetectionLatencyMeter.Sample s : meter.samples().subList(samplesBefore, meter.samples().size())) {
      if (s.leader().equals(change.leader()) && latencies.containsKey(series + s.target())) {
        latencies.get(series + s.target()).add(s.millis());
      }
    }
    for (String m : meter.misses().subList(missesBefore, meter.misses().size())) {
      String target = m.substring(0, m.indexOf(':'));
      misses.merge(series + target, 1, Integer::sum);
      notes.add("change " + i + ": " + m);
    }
    for (LeaderPoller p : pollers) {
      Optional<Long> seen = awaitPoller(p, change);
      if (seen.isPresent()) {
        latencies.get(series + p.name()).add((seen.get() - change.atNanos()) / 1e6);
      } else {
        misses.merge(series + p.name(), 1, Integer::sum);
        notes.add("change " + i + ": " + p.name() + " did not show " + change.leader() + " within "
            + GIVE_UP.toSeconds() + " s");
      }
    }
    c.say("change %d/%d%s: %s of %s, %s holds the key after %.0f ms; push path %s ms, 1 s pollers %s ms",
        i, total, series.equals(LOADED_SERIES) ? " (loaded)" : "", fault, old.name(), change.leader(), faultToKey,
        last(latencies.get(series + "push")), String.join("/", List.of(last(latencies.get(series + "dcs-1s")),
            last(latencies.get(series + "role-1s")), last(latencies.get(series + "patroni-1s")))));
    return new LeaderChange(i, fault, old.name(), change.leader(), faultToKey);
  }

  private static List<DetectionRow> rows(String series, String machine, boolean loaded,
      Map<String, List<Double>> latencies, Map<String, Integer> misses) {
    return List.of(
        row(EtcdMetrics.DCS_LEADER.name(), "exporter-etcd (watches the leader key)",
            "from the change, every " + PUSH_POLL.toMillis() + " ms", machine, series + "push", latencies, misses, true,
            loaded),
        row(EtcdMetrics.DCS_LEADER.name(), "exporter-etcd (watches the leader key)", "every 1 s", machine,
            series + "dcs-1s", latencies, misses, false, loaded),
        row(PatroniMetrics.MEMBER_ROLE.name() + "{role=\"leader\"}", "exporter-patroni (GET /cluster)",
            "every 1 s", machine, series + "role-1s", latencies, misses, false, loaded),
        row("patroni_primary", "Patroni's own /metrics (all members)", "every 1 s", machine, series + "patroni-1s",
            latencies, misses, false, loaded),
        row("patroni_primary", "Patroni's own /metrics (new leader)",
            "from the change, every " + PATRONI_FAST_POLL.toMillis() + " ms", machine, series + "patroni-fast",
            latencies, misses, false, loaded));
  }

  private static DetectionRow row(String metric, String source, String polling, String machine, String key,
      Map<String, List<Double>> latencies, Map<String, Integer> misses, boolean push, boolean loaded) {
    double[] ms = latencies.get(key).stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new DetectionRow(metric, source, polling, machine, ms.length, LatencyStats.percentile(ms, 50),
        LatencyStats.percentile(ms, 95), ms.length == 0 ? Double.NaN : ms[ms.length - 1],
        misses.get(key), push, loaded);
  }

  /** A planned switchover to whichever replica Patroni picks; returns when HAProxy routes to it. */
  private void switchover() throws InterruptedException {
    Switchover.Result r = new Switchover(c.t, c.secrets, QUIET).run(null, 60);
    if (!r.ok()) {
      throw new IllegalStateException("switchover failed: " + r.message());
    }
  }

  /** The {@code member} labels of the samples of {@code metric} at 1 that have these labels. */
  static Set<String> membersAtOne(String page, String metric, String... labelPairs) {
    return Exposition.parse(page).all(metric, labelPairs).stream()
        .filter(s -> s.value() == 1 && s.labels().containsKey("member"))
        .map(s -> s.labels().get("member")).collect(Collectors.toSet());
  }

  private Set<String> primaries(Map<String, URI> patroniMetrics) {
    Set<String> out = new HashSet<>();
    patroniMetrics.forEach((member, url) -> {
      Scraper.Fetched f = http.fetch(url);
      if (f.ok() && Exposition.parse(f.body()).named("patroni_primary").stream().anyMatch(s -> s.value() == 1)) {
        out.add(member);
      }
    });
    return out;
  }

  private static DetectionLatencyMeter.Change awaitChange(DetectionLatencyMeter meter, int before,
      String old) throws InterruptedException {
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    while (System.nanoTime() < deadline) {
      List<DetectionLatencyMeter.Change> all = meter.changes();
      for (DetectionLatencyMeter.Change ch : all.subList(before, all.size())) {
        if (!ch.leader().equals(old)) {
          return ch;
        }
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the leader key did not move away from " + old + " within "
        + GIVE_UP.toSeconds() + " s");
  }

  private static void awaitMeter(DetectionLatencyMeter meter, int samples, int misses, int targets)
      throws InterruptedException {
    long deadline = System.nanoTime() + GIVE_UP.toNanos() + Duration.ofSeconds(5).toNanos();
    while (meter.samples().size() - samples + meter.misses().size() - misses < targets
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private static Optional<Long> awaitPoller(LeaderPoller p, DetectionLatencyMeter.Change change)
      throws InterruptedException {
    long deadline = change.atNanos() + GIVE_UP.toNanos();
    while (true) {
      Optional<Long> seen = p.firstShowing(change.leader(), change.atNanos());
      if (seen.isPresent() || System.nanoTime() > deadline) {
        return seen;
      }
      Thread.sleep(50);
    }
  }

  private static String last(List<Double> values) {
    return values.isEmpty() ? "-" : String.format(java.util.Locale.ROOT, "%.0f", values.get(values.size() - 1));
  }
}
