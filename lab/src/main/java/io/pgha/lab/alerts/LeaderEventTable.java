package io.pgha.lab.alerts;

import io.pgha.lab.client.LeaderEventsApi;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Leader changes as {@code pgha events} prints them: like {@code patronictl history} (timeline,
 * switch LSN, time, new leader), oldest first, with the old leader, the kind, the vacancy and the
 * WAL at risk. Pure.
 */
public final class LeaderEventTable {
  private LeaderEventTable() {}

  /** {@code newestFirst} as the exporter lists them; printed oldest first. */
  public static String render(List<LeaderEventsApi.Event> newestFirst) {
    if (newestFirst.isEmpty()) {
      return "no leader changes\n";
    }
    List<LeaderEventsApi.Event> events = new ArrayList<>(newestFirst);
    Collections.reverse(events);
    TextTable table = new TextTable("SCOPE", "TL", "LSN", "TIME", "FROM", "TO", "KIND", "VACANCY", "WAL AT RISK");
    for (LeaderEventsApi.Event e : events) {
      table.row(e.scope(), whole(e.timeline()), e.switchLsn().orElse("-"),
          e.at().map(t -> t.truncatedTo(ChronoUnit.MILLIS).toString()).orElse("-"), e.from().orElse("-"),
          e.to().orElse("-"), e.rebuilt() ? "(history)" : e.kind().orElse("-") + (e.recovered() ? " (resync)" : ""),
          seconds(e.vacancySeconds()), bytes(e.walAtRiskBytes()));
    }
    return table.render() + (events.stream().anyMatch(LeaderEventsApi.Event::rebuilt)
        ? "(history): known from Patroni's history only, read when exporter-etcd started or written for a promotion without a new key holder (a leader that took its own key back)\n" : "");
  }

  private static String whole(OptionalLong v) {
    return v.isPresent() ? String.valueOf(v.getAsLong()) : "-";
  }

  private static String seconds(OptionalDouble v) {
    return v.isPresent() ? String.format(Locale.ROOT, "%.3f s", v.getAsDouble()) : "-";
  }

  private static String bytes(OptionalLong v) {
    return v.isPresent() ? v.getAsLong() + " B" : "-";
  }
}
