package io.pgha.etcd;

/**
 * Raft quorum arithmetic for a cluster of {@code members} voting members of which {@code healthy}
 * answer quorum reads. Learners do not vote and are not counted by the caller.
 */
public record EtcdQuorum(int members, int healthy) {

  public EtcdQuorum {
    if (members < 0 || healthy < 0 || healthy > members) {
      throw new IllegalArgumentException("need 0 <= healthy <= members, got " + healthy + " of " + members);
    }
  }

  /** Votes needed to elect a leader or commit a write: a strict majority. */
  public int quorumSize() {
    return members / 2 + 1;
  }

  public boolean available() {
    return members > 0 && healthy >= quorumSize();
  }

  /** How many more members may fail before quorum is lost; 0 once it is lost. */
  public int failuresTolerable() {
    return available() ? healthy - quorumSize() : 0;
  }
}
