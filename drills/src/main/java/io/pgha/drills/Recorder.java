package io.pgha.drills;

import java.util.ArrayList;
import java.util.List;

/** A list that pollers append to from their threads and the drill reads while they run. */
final class Recorder<T> {

  private final List<T> items = new ArrayList<>();

  synchronized void add(T item) {
    items.add(item);
  }

  synchronized List<T> snapshot() {
    return List.copyOf(items);
  }
}
