package io.pgha.drills;

/**
 * One member's PostgreSQL as the drill saw it over a direct connection (not through HAProxy).
 *
 * @param reachable false when the member did not answer; then primary is false and walBytes -1
 * @param primary {@code pg_is_in_recovery()} is false
 * @param walBytes {@code pg_current_wal_insert_lsn()} on a primary (the furthest it has gone), {@code pg_last_wal_replay_lsn()} on a
 *     replica, as a byte offset
 */
public record PositionSample(long atMillis, String member, boolean reachable, boolean primary, long walBytes) {

  public static PositionSample unreachable(long atMillis, String member) {
    return new PositionSample(atMillis, member, false, false, -1);
  }
}
