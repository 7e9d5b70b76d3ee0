package io.pgha.etcd;

import java.util.Optional;

/**
 * A consistent snapshot of one {@link LeaderKeyWatcher}, published after every change so a scrape
 * reads it without touching the watcher's own thread.
 *
 * @param state absent until the leader key was first read
 * @param healthy the watch stream is established and answering
 * @param reconnects how often the watch was re-created
 * @param lastResyncMillis when a resync Get last compared etcd with the watch, -1 if never
 */
public record WatchView(String scope, Optional<LeaderKeyState> state, boolean healthy, long reconnects,
    long lastResyncMillis) {}
