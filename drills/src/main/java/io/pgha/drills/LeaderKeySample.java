package io.pgha.drills;

/**
 * Patroni's leader key in etcd, read by the drill ({@code <namespace><scope>/leader}).
 *
 * @param answered false when no etcd member answered the read (e.g. without quorum)
 * @param holder the member holding the key; null while it is vacant (or unknown when not answered)
 */
public record LeaderKeySample(long atMillis, boolean answered, String holder) {
}
