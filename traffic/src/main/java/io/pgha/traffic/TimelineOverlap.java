package io.pgha.traffic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Whether two members accepted writes at once, from the ledger: every acknowledged write knows the
 * timeline it went to, and a new primary always writes on a new timeline. In a sound history each
 * timeline's writes are acknowledged after every write of the timelines before it; a write on an
 * older timeline acknowledged after the first write on a newer one was taken by a primary that should
 * have stopped (split brain). Pure.
 *
 * @param timelines each timeline seen, in order, with its writes' span
 * @param windowMillis how long writes on two timelines overlapped at most: from the first write on the
 *     newer timeline to the last on an older one acknowledged after it; 0 when they never did
 * @param overlapping writes on an older timeline acknowledged after the first write on a newer one
 * @param closestGapMillis the shortest time between the last write of one timeline and the first of the
 *     next (how close the history came to an overlap); empty with fewer than two timelines
 */
public record TimelineOverlap(List<Span> timelines, long windowMillis, int overlapping,
                              Optional<Long> closestGapMillis) {

  /** One timeline's acknowledged writes: who took them, how many, the first and last. */
  public record Span(long timeline, List<String> members, int writes, long firstAckMillis, long lastAckMillis) {
    public Span {
      members = List.copyOf(members);
    }
  }

  public TimelineOverlap {
    timelines = List.copyOf(timelines);
  }

  /** Looks at the writes whose timeline is known; the others (timeline 0) are left out. */
  public static TimelineOverlap of(List<LedgerEntry> entries) {
    Map<Long, List<LedgerEntry>> byTimeline = new TreeMap<>();
    for (LedgerEntry e : entries) {
      if (e.timeline() > 0) {
        byTimeline.computeIfAbsent(e.timeline(), k -> new ArrayList<>()).add(e);
      }
    }
    List<Span> spans = new ArrayList<>();
    for (Map.Entry<Long, List<LedgerEntry>> t : byTimeline.entrySet()) {
      List<LedgerEntry> writes = t.getValue();
      spans.add(new Span(t.getKey(), writes.stream().map(LedgerEntry::member).distinct().sorted().toList(),
          writes.size(), writes.stream().mapToLong(LedgerEntry::ackedAtMillis).min().getAsLong(),
          writes.stream().mapToLong(LedgerEntry::ackedAtMillis).max().getAsLong()));
    }
    long window = 0;
    int overlapping = 0;
    Long closestGap = null;
    for (int i = 1; i < spans.size(); i++) {
      Span newer = spans.get(i);
      long olderLast = spans.subList(0, i).stream().mapToLong(Span::lastAckMillis).max().getAsLong();
      window = Math.max(window, olderLast - newer.firstAckMillis());
      long gap = newer.firstAckMillis() - spans.get(i - 1).lastAckMillis();
      closestGap = closestGap == null ? gap : Math.min(closestGap, gap);
      for (Span older : spans.subList(0, i)) {
        overlapping += (int) byTimeline.get(older.timeline()).stream()
            .filter(e -> e.ackedAtMillis() > newer.firstAckMillis()).count();
      }
    }
    return new TimelineOverlap(spans, Math.max(0, window), overlapping, Optional.ofNullable(closestGap));
  }

  public boolean splitBrain() {
    return overlapping > 0;
  }

  /** The last timeline's span, if any write had a known timeline. */
  public Optional<Span> last() {
    return timelines.stream().max(Comparator.comparingLong(Span::timeline));
  }
}
