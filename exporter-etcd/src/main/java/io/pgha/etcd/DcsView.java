package io.pgha.etcd;

import java.util.Map;
import java.util.Optional;

/**
 * A consistent snapshot of the {@link DcsWatcher}, published after every change so a scrape (or
 * {@code /events}) reads it without touching the watcher's own thread.
 *
 * @param scopes each configured scope once its keys were first read
 * @param healthy the watch stream is established and answering
 * @param reconnects how often the watch was re-created
 * @param lastResyncMillis when a resync last compared etcd with the watch, -1 if never
 * @param confirmedAtMillis when etcd last confirmed the state current (the initial read, or a resync
 *     that found nothing the watch had not delivered), -1 if never
 */
public record DcsView(Map<String, ScopeState> scopes, boolean healthy, long reconnects, long lastResyncMillis,
    long confirmedAtMillis) {

  public DcsView {
    scopes = Map.copyOf(scopes);
  }

  public Optional<ScopeState> scope(String scope) {
    return Optional.ofNullable(scopes.get(scope));
  }

  /** How old the confirmation is at {@code nowMillis}; empty before the first read. */
  public Optional<Long> ageMillis(long nowMillis) {
    return confirmedAtMillis < 0 ? Optional.empty() : Optional.of(Math.max(0, nowMillis - confirmedAtMillis));
  }
}
