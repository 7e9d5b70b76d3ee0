package io.pgha.drills;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of Patroni's {@code GET /history}: {@code [timeline, switch_lsn, reason, timestamp,
 * new_leader]}, the timeline that ended, the WAL position where the next one branched off, and the
 * member promoted then (the last two are absent in old entries).
 */
public record HistoryEntry(long timeline, long switchLsn, String reason, String timestamp, String newLeader) {

  /** Lenient: entries that are not a list starting with two numbers are skipped. */
  public static List<HistoryEntry> parse(JsonNode history) {
    List<HistoryEntry> out = new ArrayList<>();
    for (JsonNode e : history) {
      if (!e.isArray() || e.size() < 2 || !e.get(0).canConvertToLong() || !e.get(1).canConvertToLong()) {
        continue;
      }
      out.add(new HistoryEntry(e.get(0).asLong(), e.get(1).asLong(), text(e, 2), text(e, 3), text(e, 4)));
    }
    return out;
  }

  private static String text(JsonNode entry, int index) {
    return entry.size() > index && !entry.get(index).isNull() ? entry.get(index).asText() : null;
  }
}
