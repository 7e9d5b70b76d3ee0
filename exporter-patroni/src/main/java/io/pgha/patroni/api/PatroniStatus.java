package io.pgha.patroni.api;

import java.util.Optional;

/**
 * What a member's {@code GET /patroni} says about itself. {@code role} is PostgreSQL's role as
 * Patroni reports it: {@code master} (3.x) or {@code primary} (4.x), {@code replica},
 * {@code standby_leader}. {@code name} is only present from Patroni 4.
 *
 * <p>{@code walPosition} is the WAL position Patroni compares in a leader race
 * ({@code _MemberStatus} in patroni/ha.py): {@code xlog.location} on a primary, the larger of
 * {@code received_location} and {@code replayed_location} on a replica; absent when PostgreSQL does
 * not run (Patroni then counts the member as unreachable). {@code dcsLastSeen} is when the member
 * last read the DCS, in seconds since the epoch.
 */
public record PatroniStatus(
    String state,
    String role,
    Optional<Long> timeline,
    boolean pendingRestart,
    boolean paused,
    boolean clusterUnlocked,
    boolean failsafeActive,
    Optional<String> scope,
    Optional<String> name,
    Optional<String> version,
    Optional<Long> walPosition,
    Optional<Long> dcsLastSeen,
    MemberTags tags,
    boolean watchdogFailed) {

  /** PostgreSQL runs as a primary (or as the leader of a standby cluster) on this member. */
  public boolean claimsLeadership() {
    return role.equals("master") || role.equals("primary") || role.equals("standby_leader");
  }

  public boolean postgresRunning() {
    return state.equals("running");
  }
}
