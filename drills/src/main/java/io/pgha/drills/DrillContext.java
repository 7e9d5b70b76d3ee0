package io.pgha.drills;

import io.pgha.traffic.TrafficRun;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a drill's {@link Drill#inject} works with, and where it leaves marks for the timeline.
 *
 * @param positions where a position the drill read itself goes (see {@link #record})
 * @param marks the marks left so far, the fault's time and the figures noted
 */
public record DrillContext(DrillPlan plan, ClusterFacts facts, String target, ClusterControl control,
    TrafficRun traffic, PrintStream out, Consumer<PositionSample> positions, DrillMarks marks) {

  /** When the drill held the traffic's writes, and when it let them go again (see {@link #holdWrites}). */
  public static final String WRITES_HELD_AT = "writes_held_at";
  public static final String WRITES_RELEASED_AT = "writes_released_at";

  /**
   * Holds the traffic's writes (reads go on) until {@link #releaseWrites}, at most {@code atMost}: once
   * this returns, no write of the traffic is in flight. The pause is the drill's, not the cluster's: the
   * write outage is measured outside it.
   */
  public void holdWrites(Duration atMost, String why) {
    traffic.holdWrites(atMost);
    note(WRITES_HELD_AT, now());
    mark(Mark.Kind.EVENT, "traffic's writes held: " + why);
  }

  /** Ends {@link #holdWrites}; nothing when the writes are not held. */
  public void releaseWrites() {
    if (values().containsKey(WRITES_HELD_AT) && !values().containsKey(WRITES_RELEASED_AT)) {
      traffic.releaseWrites();
      note(WRITES_RELEASED_AT, now());
      say("traffic's writes go on");
    }
  }

  /** A position the drill read itself (the old leader's, right before a kill). */
  public void record(PositionSample sample) {
    positions.accept(sample);
  }

  /** A figure the drill measured itself (a WAL position, a byte count), for its judgement. */
  public void note(String name, long value) {
    marks.note(name, value);
  }

  Map<String, Long> values() {
    return marks.values();
  }

  public long now() {
    return traffic.nowMillis();
  }

  public void mark(Mark.Kind kind, String label) {
    marks.add(new Mark(now(), kind, label));
    say(label);
  }

  List<Mark> markList() {
    return marks.all();
  }

  long faultAt() {
    return marks.faultAt();
  }

  /** A line of the drill's log, stamped with the time since the fault. */
  public void say(String text) {
    long faultAt = faultAt();
    String stamp = faultAt < 0 ? "   before" : String.format(Locale.ROOT, "%+8.1fs", (now() - faultAt) / 1000.0);
    out.println("  [" + stamp + "] " + text);
    out.flush();
  }
}
