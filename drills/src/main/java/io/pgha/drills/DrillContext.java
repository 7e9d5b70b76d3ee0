package io.pgha.drills;

import io.pgha.traffic.TrafficRun;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a drill's {@link Drill#inject} works with, and where it leaves marks for the timeline. */
public final class DrillContext {

  private final DrillPlan plan;
  private final ClusterFacts facts;
  private final String target;
  private final ClusterControl control;
  private final TrafficRun traffic;
  private final PrintStream out;
  private final java.util.function.Consumer<PositionSample> positions;
  private final List<Mark> marks = new ArrayList<>();
  private final Map<String, Long> values = new LinkedHashMap<>();
  private long faultAt = -1;

  DrillContext(DrillPlan plan, ClusterFacts facts, String target, ClusterControl control, TrafficRun traffic,
               PrintStream out, java.util.function.Consumer<PositionSample> positions) {
    this.plan = plan;
    this.facts = facts;
    this.target = target;
    this.control = control;
    this.traffic = traffic;
    this.out = out;
    this.positions = positions;
  }

  /** A position the drill read itself (the old leader's, right before a kill). */
  public void record(PositionSample sample) {
    positions.accept(sample);
  }

  /** A figure the drill measured itself (a WAL position, a byte count), for its judgement. */
  public void note(String name, long value) {
    synchronized (values) {
      values.put(name, value);
    }
  }

  Map<String, Long> values() {
    synchronized (values) {
      return Map.copyOf(values);
    }
  }

  public DrillPlan plan() {
    return plan;
  }

  public ClusterFacts facts() {
    return facts;
  }

  public String target() {
    return target;
  }

  public ClusterControl control() {
    return control;
  }

  public long now() {
    return traffic.nowMillis();
  }

  public void mark(Mark.Kind kind, String label) {
    long at = now();
    synchronized (marks) {
      marks.add(new Mark(at, kind, label));
    }
    if (kind == Mark.Kind.FAULT) {
      faultAt = at;
    }
    say(label);
  }

  List<Mark> marks() {
    synchronized (marks) {
      return List.copyOf(marks);
    }
  }

  long faultAt() {
    return faultAt;
  }

  /** A line of the drill's log, stamped with the time since the fault. */
  public void say(String text) {
    String stamp = faultAt < 0 ? "   before" : String.format(Locale.ROOT, "%+8.1fs", (now() - faultAt) / 1000.0);
    out.println("  [" + stamp + "] " + text);
    out.flush();
  }

  PrintStream out() {
    return out;
  }
}
