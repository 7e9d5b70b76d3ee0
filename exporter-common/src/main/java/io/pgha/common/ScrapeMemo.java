package io.pgha.common;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;

/**
 * One value per scrape, shared by the collectors of that scrape: the first to ask computes it
 * (usually starts the fetch), the others get the same. The engine hands every collector of a scrape
 * the same {@link ScrapeContext}; two scrapes can be in flight when one with a shorter deadline
 * could not join the other, so the last few are kept.
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
