package io.pgha.common;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;

/**
 * One value per scrape, shared by the collectors of that scrape: the first to ask computes it
 * (usually starts the fetch), the others get the same. The engine hands every collector of a scrape
 * the same {@link ScrapeContext}; two scrapes can be in flight when one with a shorter deadline
 * could not join the other, so the last few are kept. A scrape's value is let go at the first
 * {@code get} after that scrape is {@linkplain ScrapeContext#over() over}: it is not asked for again,
 * and keeping the values of finished scrapes (a scope's fetched answers, a target's query results)
 * until four newer ones pushed them out held them long enough to be copied into the old generation,
 * where they died (at 100 scopes, four scrapes' answers of 300 members stayed live).
 *
 * <p>Not thread-safe by design: the collectors of an exporter run on its engine's context
 * ({@link ScrapeEngine}), which is the only caller.
 */
public final class ScrapeMemo<V> {
  private static final int KEPT = 4;

  private record Entry<V>(ScrapeContext scrape, V value) {}

  private final Function<ScrapeContext, V> compute;
  private final Deque<Entry<V>> recent = new ArrayDeque<>(KEPT + 1);

  public ScrapeMemo(Function<ScrapeContext, V> compute) {
    this.compute = compute;
  }

  public V get(ScrapeContext scrape) {
    recent.removeIf(e -> e.scrape() != scrape && e.scrape().over());
    for (Entry<V> e : recent) {
      if (e.scrape() == scrape) {
        return e.value();
      }
    }
    V value = compute.apply(scrape);
    recent.addFirst(new Entry<>(scrape, value));
    if (recent.size() > KEPT) {
      recent.removeLast();
    }
    return value;
  }
}
