package io.pgha.etcd;

import java.util.Locale;
import java.util.Optional;

/**
 * One leadership change of a scope: who lost the leader key, who took it, why, how long nobody led,
 * and (once Patroni wrote {@code history}) where the new timeline starts and how much WAL the old
 * leader had beyond it. Times are wall-clock milliseconds, -1 when unknown.
 *
 * @param from the member that held the key before; empty when unknown (a rebuilt first entry)
 * @param kind why; empty for events rebuilt from {@code history}, which does not say
 * @param rebuilt known from Patroni's {@code history} only, not seen by the watch as a change of holder (read at
 *     exporter start, or a promotion of the member that already held the key, e.g. after it retook it): only
 *     the new leader, the old one (the previous entry's), the promotion time, timeline and LSN are known
 * @param recovered found by a resync after the watch missed it (or etcd compacted its history)
 * @param request the {@code failover} key's request in force when the old leader lost the key
 * @param detectedAtMillis when the watch saw the new leader take the key
 * @param lostAtMillis when the old leader lost the key: the delete of the key, or for an expired lease
 *     its last renewal (see {@link ScopeState})
 * @param deletedAtMillis when the watch saw the key deleted; -1 for a takeover without a delete
 * @param oldLeaderPositionBytes the old leader's last reported WAL position ({@code status} optime,
 *     its member key's {@code xlog_location}), -1 when it reported none
 * @param timeline the timeline the new leader started, -1 until {@code history} says
 * @param switchLsnBytes where the old timeline ended, -1 until {@code history} says
 * @param historyAtMillis when the watch saw the {@code history} entry appear, -1 until then
 * @param promotedAtMillis the promotion time Patroni wrote into the {@code history} entry, -1 if none
 */
public record LeaderEvent(
    String scope,
    Optional<String> from,
    String to,
    Optional<Kind> kind,
    boolean rebuilt,
    boolean recovered,
    Optional<FailoverRequest> request,
    long detectedAtMillis,
    long lostAtMillis,
    long deletedAtMillis,
    long oldLeaderPositionBytes,
    long timeline,
    long switchLsnBytes,
    long historyAtMillis,
    long promotedAtMillis) {

  /** Why the leader changed, as the watch tells it. */
  public enum Kind {
    /** A {@code failover} key naming the old leader was set: a planned switchover. */
    SWITCHOVER,
    /** A {@code failover} key naming only a candidate was set: a manual failover. */
    FAILOVER,
    /** The leader deleted its key without a request: a graceful stop, a demotion, DCS trouble. */
    RELEASED,
    /** The leader's lease ran out: a crash or a partition. */
    EXPIRED,
    /** The watch could not tell: etcd compacted the history the exporter needed to replay. */
    UNKNOWN;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A change the watch saw; history fields come later ({@link #withHistory}). */
  static LeaderEvent seen(String scope, String from, String to, Kind kind, boolean recovered,
      Optional<FailoverRequest> request, long detectedAtMillis, long lostAtMillis, long deletedAtMillis,
      long oldLeaderPositionBytes) {
    return new LeaderEvent(scope, Optional.ofNullable(from), to, Optional.of(kind), false, recovered, request,
        detectedAtMillis, lostAtMillis, deletedAtMillis, oldLeaderPositionBytes, -1, -1, -1, -1);
  }

  /** An entry of {@code history} the watch did not see happen (read at exporter start). */
  static LeaderEvent rebuilt(String scope, Optional<String> from, String to, DcsState.HistoryLine line) {
    return new LeaderEvent(scope, from, to, Optional.empty(), true, false, Optional.empty(), -1, -1, -1, -1,
        line.timeline() + 1, line.switchLsn(), -1, line.promotedAtMillis());
  }

  /** The {@code history} entry of this change, seen at {@code atMillis}. */
  LeaderEvent withHistory(DcsState.HistoryLine line, long atMillis) {
    return new LeaderEvent(scope, from, to, kind, rebuilt, recovered, request, detectedAtMillis, lostAtMillis,
        deletedAtMillis, oldLeaderPositionBytes, line.timeline() + 1, line.switchLsn(), atMillis,
        line.promotedAtMillis());
  }

  public boolean hasHistory() {
    return switchLsnBytes >= 0;
  }

  /** From the old leader losing the key to the new one holding it. */
  public Optional<Long> vacancyMillis() {
    return lostAtMillis >= 0 && detectedAtMillis >= 0
        ? Optional.of(Math.max(0, detectedAtMillis - lostAtMillis)) : Optional.empty();
  }

  /** How long the key itself was absent (0 for a takeover without a delete). */
  public Optional<Long> keyVacantMillis() {
    if (detectedAtMillis < 0 || lostAtMillis < 0) {
      return Optional.empty();
    }
    return Optional.of(deletedAtMillis < 0 ? 0 : Math.max(0, detectedAtMillis - deletedAtMillis));
  }

  /**
   * The old leader's last reported WAL beyond the switch position: 0 for a clean switchover; what
   * asynchronous replication lost up to that report (WAL written after it is not counted).
   */
  public Optional<Long> walAtRiskBytes() {
    return hasHistory() && oldLeaderPositionBytes >= 0
        ? Optional.of(Math.max(0, oldLeaderPositionBytes - switchLsnBytes)) : Optional.empty();
  }

  /** When it happened: seen by the watch, or else the promotion time from {@code history}. */
  public long atMillis() {
    return detectedAtMillis >= 0 ? detectedAtMillis : promotedAtMillis;
  }
}
