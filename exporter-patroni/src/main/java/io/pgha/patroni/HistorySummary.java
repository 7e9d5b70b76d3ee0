package io.pgha.patroni;

import io.pgha.patroni.api.HistoryEntry;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the history collector needs of {@code GET /history}: folded line by line as the document is
 * read, so a scrape keeps three numbers, not the whole history, however many promotions it holds.
 */
record HistorySummary(long promotions, long leaderChanges, Optional<Instant> lastPromotedAt, long lastTimeline) {

  /** No history read (none yet, or it could not be read). */
  static final HistorySummary EMPTY = new HistorySummary(0, 0, Optional.empty(), 0);

  static HistorySummary of(Iterable<HistoryEntry> history) {
    Tally tally = new Tally();
    history.forEach(tally);
    return tally.summary();
  }

  /** The fold; one per read of {@code /history}. */
  static final class Tally implements Consumer<HistoryEntry> {
    private long lines;
    private long firstTimeline;
    private long leaderChanges;
    private Optional<String> previousLeader = Optional.empty();
    private Optional<Instant> lastPromotedAt = Optional.empty();
    private long lastTimeline;

    @Override
    public void accept(HistoryEntry entry) {
      if (lines++ == 0) {
        firstTimeline = entry.timeline();
      }
      boolean sameLeader = entry.newLeader().isPresent() && entry.newLeader().equals(previousLeader);
      if (!sameLeader) {
        leaderChanges++;
      }
      previousLeader = entry.newLeader();
      lastPromotedAt = entry.promotedAt();
      lastTimeline = entry.timeline();
    }

    HistorySummary summary() {
      // A history cut by max_timelines_history starts above timeline 1; what it dropped were promotions too.
      long promotions = lines == 0 ? 0 : lines + Math.max(0, firstTimeline - 1);
      return new HistorySummary(promotions, leaderChanges, lastPromotedAt, lastTimeline);
    }
  }
}
