package io.pgha.patroni.api;

import java.time.Instant;
import java.util.Optional;

/**
 * One line of {@code GET /history}: {@code [timeline, switch_lsn, reason, timestamp, new_leader]}.
 * Each line is a promotion that ended {@code timeline} and started the next one. The timestamp and
 * the new leader are missing from lines Patroni did not write itself.
 */
public record HistoryEntry(long timeline, long switchLsn, String reason, Optional<Instant> promotedAt, Optional<String> newLeader) {}
