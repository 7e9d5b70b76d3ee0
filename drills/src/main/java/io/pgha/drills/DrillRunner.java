package io.pgha.drills;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.lab.alerts.NotificationLog;
import io.pgha.lab.alerts.PrometheusAlert;
import io.pgha.lab.client.Http;
import io.pgha.lab.client.LeaderEventsApi;
import io.pgha.lab.client.PrometheusApi;
import io.pgha.lab.status.ClusterState;
import io.pgha.lab.topology.Topology;
import io.pgha.patroni.api.HistoryEntry;
import io.pgha.lab.deploy.Users;
import io.pgha.traffic.LedgerCheck;
import io.pgha.traffic.LedgerEntry;
import io.pgha.traffic.LedgerVerifier;
import io.pgha.traffic.OperationOutcome;
import io.pgha.traffic.TrafficLedger;
import io.pgha.traffic.TrafficOptions;
import io.pgha.traffic.TrafficRun;
import io.pgha.traffic.TrafficSummary;
import io.pgha.traffic.TrafficTarget;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one drill the way Patroni's behave tests run a scenario, every wait bounded: a healthy cluster
 * (restored first if it is not), the dynamic configuration the plan asks for, traffic and the observer,
 * a steady state, the fault, observation until the drill has seen what it waits for, the restore, the
 * convergence, the ledger check; then the configuration is put back and the recording judged.
 */
public final class DrillRunner {

  static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(120);
  static final Duration STEADY_TIMEOUT = Duration.ofSeconds(60);
  static final Duration ALERTS_CLEAR_TIMEOUT = Duration.ofSeconds(90);
  static final long RESTORE_TIMEOUT_SECONDS = 180;
  /** Traffic after convergence, so the timeline shows writes flowing again. */
  static final long AFTER_CONVERGENCE_MILLIS = 2000;
  static final long STEADY_WINDOW_MILLIS = 3000;
  /** The session held to the old leader writes at this rate (the traffic: 25 a second through HAProxy). */
  static final double HELD_SESSION_WRITES_PER_SECOND = 10;

  private final Topology t;
  private final ClusterControl control;
  private final PrintStream out;

  public DrillRunner(ClusterControl control, PrintStream out) throws IOException {
    this.t = control.topology();
    this.control = control;
    this.out = out;
  }

  /**
   * Why a plan cannot run here, if it cannot: the network drills need root (iptables rules matched by
   * the hosts' cgroups). The command line says so and skips them.
   */
  public static Optional<String> skipReason(DrillPlan plan) {
    if (plan.kind().network() && !Users.isRoot()) {
      return Optional.of(plan.title() + " skipped: network faults need root (iptables rules matched by each "
          + "host's cgroup); run pgha drill as root");
    }
    return Optional.empty();
  }

  public DrillResult run(DrillPlan plan) throws InterruptedException {
    Drill drill = Drills.of(plan);
    out.println();
    out.println("== " + plan.title() + ": " + plan.kind().fault());
    out.flush();
    List<String> problems = new ArrayList<>();
    DynamicConfig config = new DynamicConfig(control, out);
    Recording rec = new Recording(plan);
    try {
      ensureHealthy();
      config.apply(plan);
      ensureHealthy();
      runFault(drill, plan, rec, problems);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      problems.add(describe(e));
      out.println("  drill could not run: " + describe(e));
    } finally {
      try {
        // A fault that threw before its restore must not outlive the drill.
        control.faults().healNetwork();
      } catch (Exception e) {
        problems.add("removing the network faults: " + describe(e));
      }
      try {
        config.revert();
      } catch (Exception e) {
        problems.add("putting the dynamic configuration back: " + describe(e));
      }
    }
    DrillRecording recording = rec.build(problems);
    DrillResult result = DrillJudge.result(drill, recording);
    out.print(DrillText.verdict(result));
    out.flush();
    return result;
  }

  private void runFault(Drill drill, DrillPlan plan, Recording rec, List<String> problems) throws Exception {
    rec.facts = facts();
    rec.target = drill.target(plan, rec.facts, control);
    out.println("  leader " + rec.facts.leaderBefore() + ", target " + rec.target + "; ttl " + rec.facts.ttl()
        + " s, loop_wait " + rec.facts.loopWait() + " s, retry_timeout " + rec.facts.retryTimeout() + " s");
    TrafficOptions options = TrafficOptions.defaults(t.workdirPath().resolve("traffic"));
    TrafficRun traffic = TrafficRun.start(target(), options);
    TrafficRun held = null;
    DrillObserver observer = null;
    DrillContext ctx = null;
    try {
      rec.startedAt = traffic.startedAtMillis();
      if (drill.holdsSessionToLeader()) {
        held = TrafficRun.start(target().pinnedTo(rec.facts.leaderBefore()), heldSessionOptions(options));
      }
      observer = DrillObserver.start(t, NotificationLog.file(t.workdirPath()), traffic::nowMillis);
      ctx = new DrillContext(plan, rec.facts, rec.target, control, traffic, out, observer::record,
          new DrillMarks());
      rec.steadyAt = awaitSteady(traffic, observer, rec.facts, ctx);
      List<ExpectedAlert> expected = drill.expectedAlerts(rec.facts, rec.target);
      awaitAlertsClear(expected, ctx);
      drill.prepare(ctx);
      rec.activeBeforeFault = activeAlerts();
      ctx.mark(Mark.Kind.FAULT, "fault: " + plan.kind().fault() + " (" + rec.target + ")");
      rec.faultAt = ctx.faultAt();
      try {
        drill.inject(ctx);
        awaitEffects(drill, rec, traffic, held, observer, ctx);
      } catch (Exception e) {
        problems.add("fault: " + describe(e));
        ctx.say("fault failed: " + describe(e));
      }
      if (drill.needsRestore()) {
        ctx.mark(Mark.Kind.RESTORE, "restore: " + (plan.kind().network() ? "network faults removed, " : "")
            + "pgha up (starts what is missing, waits until ready)");
        rec.restoreAt = ctx.now();
        try {
          control.faults().heal(new IndentingStream(out, "      up "), RESTORE_TIMEOUT_SECONDS);
        } catch (Exception e) {
          problems.add("restore: " + describe(e));
          ctx.say("restore failed: " + describe(e));
        }
      }
      if (awaitHealthy(HEALTHY_TIMEOUT)) {
        ctx.mark(Mark.Kind.CONVERGED, "cluster healthy");
        rec.convergedAt = ctx.now();
      } else {
        ctx.say("cluster not healthy after " + HEALTHY_TIMEOUT.toSeconds() + " s: " + control.state().problems());
      }
      Thread.sleep(AFTER_CONVERGENCE_MILLIS);
      rec.endedAt = traffic.nowMillis();
      rec.marks = ctx.markList();
    } finally {
      if (observer != null) {
        observer.close();
        rec.take(observer);
      }
      if (ctx != null) {
        rec.values = ctx.values();
      }
      List<LedgerEntry> acknowledged = new ArrayList<>();
      if (held != null) {
        say("stopping the session held to " + rec.facts.leaderBefore() + "; checking its writes on the primary");
        TrafficSummary heldSummary = held.stop();
        rec.held = new HeldSession(rec.facts.leaderBefore(), held.outcomes(), heldSummary.ledgerCheck());
        acknowledged.addAll(held.acknowledgedWrites());
      }
      say("stopping traffic; checking the ledger on the primary");
      TrafficSummary summary = traffic.stop();
      rec.outcomes = traffic.outcomes();
      rec.ledger = summary.ledgerCheck();
      acknowledged.addAll(traffic.acknowledgedWrites());
      rec.acknowledged = acknowledged;
      rec.reread = reread(traffic, options);
      if (rec.endedAt < 0) {
        rec.endedAt = summary.stoppedAtMillis();
      }
    }
    rec.history = control.history();
    rec.exporterEvents = control.exporterEvents();
    rec.leaderAtEnd = control.leader().orElse(null);
    rec.streamingAtEnd = rec.leaderAtEnd == null ? List.of() : control.streamingReplicas(rec.leaderAtEnd);
  }

  /** The held session writes straight to one member, ten times a second, no reads; its ledger apart. */
  private static TrafficOptions heldSessionOptions(TrafficOptions traffic) {
    return new TrafficOptions(HELD_SESSION_WRITES_PER_SECOND, 0, traffic.connectTimeout(), traffic.socketTimeout(),
        traffic.ledgerCheckTimeout(), traffic.ledgerDirectory().resolve("held-session"));
  }

  /**
   * The ledger as a person would check it later: read back from its file and looked up again on the
   * primary through traffic's API. Null when the file cannot be read (then the check says so).
   */
  private LedgerCheck reread(TrafficRun traffic, TrafficOptions options) {
    try {
      return LedgerVerifier.verify(target(), options, TrafficLedger.read(traffic.ledgerFile()));
    } catch (IOException e) {
      say("cannot read the ledger back: " + e.getMessage());
      return null;
    }
  }

  private void say(String line) {
    out.println("  " + line);
    out.flush();
  }

  private TrafficTarget target() {
    return TrafficTarget.of(t.workdirPath(), "postgres");
  }

  private ClusterFacts facts() {
    JsonNode config = control.config();
    String leader = control.leader().orElseThrow(() -> new IllegalStateException("no single running leader"));
    return new ClusterFacts(t.scope(), config.path("ttl").asInt(30), config.path("loop_wait").asInt(10),
        config.path("retry_timeout").asInt(10), leader, t.members().stream().map(Topology.Member::name).toList(),
        t.etcd().stream().map(Topology.EtcdMember::name).toList());
  }

  /** Healthy, or restored with {@code pgha up} and then healthy: a drill starts from a sound cluster. */
  private void ensureHealthy() throws Exception {
    ClusterState s = control.state();
    if (s.healthy()) {
      return;
    }
    out.println("  cluster degraded (" + String.join("; ", s.problems()) + "): pgha up first");
    control.faults().heal(new IndentingStream(out, "      up "), RESTORE_TIMEOUT_SECONDS);
    if (!awaitHealthy(HEALTHY_TIMEOUT)) {
      throw new IllegalStateException("cluster not healthy: " + String.join("; ", control.state().problems()));
    }
  }

  private boolean awaitHealthy(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (control.state().healthy()) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }

  /**
   * Traffic for a while with no failed write and writes acknowledged in the last second, every
   * source of the observer answering, the leader key held by the leader and its PostgreSQL a primary.
   */
  private long awaitSteady(TrafficRun traffic, DrillObserver observer, ClusterFacts facts, DrillContext ctx)
      throws InterruptedException {
    long deadline = System.nanoTime() + STEADY_TIMEOUT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      long now = traffic.nowMillis();
      last = SteadyState.missing(now, STEADY_WINDOW_MILLIS, traffic.outcomes(),
          observer.metrics(), observer.positions(), observer.leaderKeys(), facts);
      if (last.isEmpty()) {
        ctx.say("steady state");
        return now;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("no steady state within " + STEADY_TIMEOUT.toSeconds() + " s: " + last);
  }

  /**
   * An expected alert still active from before cannot be delivered again: give it time to clear, unless
   * it lingers long after its cause (then its delivery is reported as not measurable).
   */
  private void awaitAlertsClear(List<ExpectedAlert> expected, DrillContext ctx) throws InterruptedException {
    long deadline = System.nanoTime() + ALERTS_CLEAR_TIMEOUT.toNanos();
    boolean said = false;
    while (true) {
      List<PrometheusAlert> active = activeAlerts().stream().filter(a -> expected.stream().anyMatch(e -> matches(a, e)))
          .toList();
      if (active.isEmpty()) {
        return;
      }
      boolean worthWaiting = expected.stream().filter(e -> active.stream().anyMatch(a -> matches(a, e)))
          .allMatch(ExpectedAlert::clearsWithCause);
      if (!worthWaiting || System.nanoTime() > deadline) {
        ctx.say("still active, its delivery cannot be measured: "
            + active.stream().map(a -> a.alertname() + " (active since " + a.activeAt() + ")").toList());
        return;
      }
      if (!said) {
        ctx.say("waiting up to " + ALERTS_CLEAR_TIMEOUT.toSeconds() + " s for "
            + active.stream().map(PrometheusAlert::alertname).toList() + " to clear");
        said = true;
      }
      Thread.sleep(1000);
    }
  }

  private static boolean matches(PrometheusAlert a, ExpectedAlert e) {
    return a.alertname().equals(e.alertname())
        && e.labels().entrySet().stream().allMatch(l -> l.getValue().equals(a.labels().get(l.getKey())));
  }

  private List<PrometheusAlert> activeAlerts() throws InterruptedException {
    try {
      return new PrometheusApi(new Http(Duration.ofSeconds(3))).alerts(t.prometheus().url());
    } catch (IOException e) {
      return List.of();
    }
  }

  private void awaitEffects(Drill drill, Recording rec, TrafficRun traffic, TrafficRun held, DrillObserver observer,
                            DrillContext ctx) throws InterruptedException {
    long until = rec.faultAt + drill.observeAtMost(rec.facts).toMillis();
    while (traffic.nowMillis() < until) {
      Recording snapshot = rec.copy();
      snapshot.take(observer);
      snapshot.outcomes = traffic.outcomes();
      snapshot.values = ctx.values();
      List<LedgerEntry> acknowledged = new ArrayList<>(traffic.acknowledgedWrites());
      if (held != null) {
        snapshot.takeHeld(held, rec.facts.leaderBefore());
        acknowledged.addAll(held.acknowledgedWrites());
      }
      snapshot.acknowledged = acknowledged;
      snapshot.endedAt = traffic.nowMillis();
      snapshot.marks = ctx.markList();
      if (drill.effectsSeen(new DrillAnalysis(snapshot.build(List.of())))) {
        ctx.say("observed what the drill waits for");
        return;
      }
      Thread.sleep(500);
    }
    ctx.say("observation bound reached (" + drill.observeAtMost(rec.facts).toSeconds() + " s)");
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** The recording as it fills up; built into the immutable {@link DrillRecording} at the end. */
  private static final class Recording {
    final DrillPlan plan;
    ClusterFacts facts = new ClusterFacts("", 0, 0, 0, "", List.of(), List.of());
    String target = "";
    long startedAt = -1;
    long steadyAt = -1;
    long faultAt = -1;
    long restoreAt = -1;
    long convergedAt = -1;
    long endedAt = -1;
    List<Mark> marks = List.of();
    List<OperationOutcome> outcomes = List.of();
    List<MetricsSample> metrics = List.of();
    List<PositionSample> positions = List.of();
    List<LeaderKeySample> leaderKeys = List.of();
    List<RouteSample> routes = List.of();
    List<AlertSeen> alerts = List.of();
    List<PrometheusAlert> activeBeforeFault = List.of();
    LedgerCheck ledger;
    List<HistoryEntry> history = List.of();
    List<LeaderEventsApi.Event> exporterEvents = List.of();
    String leaderAtEnd;
    List<String> streamingAtEnd = List.of();
    List<LedgerEntry> acknowledged = List.of();
    HeldSession held;
    LedgerCheck reread;
    Map<String, Long> values = Map.of();

    Recording(DrillPlan plan) {
      this.plan = plan;
    }

    Recording copy() {
      Recording c = new Recording(plan);
      c.facts = facts;
      c.target = target;
      c.startedAt = startedAt;
      c.steadyAt = steadyAt;
      c.faultAt = faultAt;
      c.restoreAt = restoreAt;
      c.convergedAt = convergedAt;
      c.activeBeforeFault = activeBeforeFault;
      return c;
    }

    /** For the observation's snapshots: what the held session did so far, without its ledger check. */
    void takeHeld(TrafficRun held, String member) {
      this.held = new HeldSession(member, held.outcomes(), null);
    }

    void take(DrillObserver o) {
      metrics = o.metrics();
      positions = o.positions();
      leaderKeys = o.leaderKeys();
      routes = o.routes();
      alerts = o.alerts();
    }

    DrillRecording build(List<String> problems) {
      long fault = faultAt < 0 ? Math.max(0, endedAt) : faultAt;
      return new DrillRecording(plan, facts, target, startedAt, steadyAt < 0 ? fault : steadyAt, fault, restoreAt,
          convergedAt, Math.max(endedAt, fault), marks, outcomes, metrics, positions, leaderKeys, routes, alerts,
          activeBeforeFault, ledger, history, leaderAtEnd, streamingAtEnd, acknowledged, held, reread, values,
          problems, exporterEvents);
    }
  }
}
