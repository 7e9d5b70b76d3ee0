package io.pgha.drills;

import java.util.Locale;

/**
 * How far the old leader's WAL went beyond the position where the new timeline branched off: what a
 * failover without synchronous replication may throw away.
 *
 * @param oldLeaderLastPosition the old leader's last {@code pg_current_wal_insert_lsn()} the drill saw
 * @param switchPosition the switch LSN {@code /history} records for the new timeline
 */
public record WalDistance(String oldLeader, long oldLeaderLastPosition, long switchPosition, long timeline) {

  /** Bytes the old leader had beyond the switch position (negative when the new leader got further). */
  public long bytes() {
    return oldLeaderLastPosition - switchPosition;
  }

  /** "500 B (pg-1 last seen at 0/FA1F4; timeline 1 ended at 0/FA000": the report's and the text's words. */
  public String describe() {
    return Fmt.bytes(bytes()) + " (" + oldLeader + " last seen at " + lsn(oldLeaderLastPosition) + "; timeline "
        + timeline + " ended at " + lsn(switchPosition);
  }

  public static String lsn(long position) {
    return String.format(Locale.ROOT, "%X/%X", position >>> 32, position & 0xFFFFFFFFL);
  }
}
