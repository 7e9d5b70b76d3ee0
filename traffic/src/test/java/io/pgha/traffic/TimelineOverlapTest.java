package io.pgha.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimelineOverlapTest {

  private static List<LedgerEntry> writes(long from, long to, String member, long timeline) {
    List<LedgerEntry> out = new ArrayList<>();
    for (long t = from; t < to; t += 40) {
      out.add(new LedgerEntry(UUID.randomUUID(), t, member, timeline));
    }
    return out;
  }

  /** The overlap of the ledger that holds {@code first}'s writes, then {@code second}'s. */
  private static TimelineOverlap overlap(List<LedgerEntry> first, List<LedgerEntry> second) {
    List<LedgerEntry> ledger = new ArrayList<>(first);
    ledger.addAll(second);
    return TimelineOverlap.of(ledger);
  }

  @Test
  void aFailoverWithAGapIsNoSplitBrain() {
    TimelineOverlap o = overlap(writes(0, 5_000, "pg-1", 3), writes(9_000, 12_000, "pg-2", 4));

    assertThat(o.splitBrain()).isFalse();
    assertThat(o.windowMillis()).isZero();
    assertThat(o.overlapping()).isZero();
    assertThat(o.closestGapMillis()).contains(9_000L - 4_960L);
    assertThat(o.timelines()).extracting(TimelineOverlap.Span::timeline, TimelineOverlap.Span::members,
            TimelineOverlap.Span::writes)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, List.of("pg-1"), 125),
            org.assertj.core.groups.Tuple.tuple(4L, List.of("pg-2"), 75));
  }

  @Test
  void theOldPrimaryTakingWritesAfterTheNewOneBeganIsSplitBrain() {
    TimelineOverlap o = overlap(writes(0, 5_000, "pg-1", 3), writes(4_000, 8_000, "pg-2", 4));

    assertThat(o.splitBrain()).isTrue();
    // pg-1's last write at 4960, pg-2's first at 4000.
    assertThat(o.windowMillis()).isEqualTo(960);
    assertThat(o.overlapping()).isEqualTo(24);
    assertThat(o.closestGapMillis()).contains(-960L);
  }

  @Test
  void theSameMemberPromotedAgainOnANewTimelineIsNoSplitBrain() {
    TimelineOverlap o = overlap(writes(0, 3_000, "pg-1", 1), writes(20_000, 22_000, "pg-1", 2));

    assertThat(o.splitBrain()).isFalse();
    assertThat(o.last()).map(TimelineOverlap.Span::timeline).contains(2L);
  }

  @Test
  void writesWithoutATimelineAreLeftOut() {
    TimelineOverlap o = overlap(writes(0, 1_000, "pg-1", 0), writes(500, 1_000, "pg-2", 0));

    assertThat(o.timelines()).isEmpty();
    assertThat(o.splitBrain()).isFalse();
    assertThat(o.closestGapMillis()).isEqualTo(Optional.empty());
  }
}
