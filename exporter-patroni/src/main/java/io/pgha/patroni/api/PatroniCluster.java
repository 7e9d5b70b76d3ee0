package io.pgha.patroni.api;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What a member's {@code GET /cluster} says: the members registered in the DCS, as Patroni sees
 * them. {@code scope} is only present from Patroni 4.
 */
public record PatroniCluster(List<Member> members, boolean paused, boolean switchoverScheduled, Optional<String> scope) {

  public PatroniCluster {
    members = List.copyOf(members);
  }

  /**
   * One entry of {@code members}. {@code role} and {@code state} are Patroni's own words
   * ({@code leader}, {@code sync_standby}, {@code running}, {@code streaming}, ...); lag is absent
   * for the leader and when Patroni says {@code unknown}; {@code host} is PostgreSQL's address;
   * {@code tags} those that decide promotion and synchronous replication.
   */
  public record Member(
      String name,
      Optional<String> host,
      String role,
      String state,
      Optional<URI> apiUrl,
      Optional<Long> timeline,
      Optional<Long> lagBytes,
      boolean pendingRestart,
      MemberTags tags) {

    /** Holds the leader key (of the cluster, or of a standby cluster). */
    public boolean leader() {
      return PatroniVocabulary.isLeaderRole(role);
    }
  }

  public Optional<Member> leader() {
    return members.stream().filter(Member::leader).findFirst();
  }
}
