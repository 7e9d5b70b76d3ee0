package io.pgha.drills;

/**
 * Patroni's leader key in etcd, read by the drill ({@code <namespace><scope>/leader}), and the mod
 * revision of the scope's {@code status} key read with it: the leader writes {@code status} in every
 * loop, right after renewing its lease, so a new revision is a renewal seen.
 *
 * @param answered false when no etcd member answered the read (e.g. without quorum)
 * @param holder the member holding the key; null while it is vacant (or unknown when not answered)
 * @param statusRevision the {@code status} key's mod revision, -1 when not read
 */
public record LeaderKeySample(long atMillis, boolean answered, String holder, long statusRevision) {

  public LeaderKeySample(long atMillis, boolean answered, String holder) {
    this(atMillis, answered, holder, -1);
  }
}
