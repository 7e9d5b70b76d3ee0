package io.pgha.patroni;

import io.pgha.patroni.api.MemberTags;
import io.pgha.patroni.api.PatroniCluster;
import io.pgha.patroni.api.PatroniDynamicConfig;
import io.pgha.patroni.api.PatroniStatus;
import io.pgha.patroni.api.PatroniVocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Would Patroni promote this member if the leader died now? Patroni's own rules, as
 * {@code is_failover_possible} and {@code _MemberStatus.failover_limitation} in patroni/ha.py apply
 * them (3.x and 4.x), checked in Patroni's order; the first rule a member fails is its reason:
 *
 * <ol>
 *   <li>{@code leader}: it holds the leader key (it is what would be lost);
 *   <li>{@code nofailover}: tagged {@code nofailover}, or (Patroni 4) {@code failover_priority} 0 or less;
 *   <li>{@code nosync} / {@code not_sync}: synchronous mode is on and the member is not the
 *       synchronous standby ({@code nosync} when its tag forbids it ever to be one);
 *   <li>{@code unreachable}: its REST API did not answer, or not like Patroni;
 *   <li>{@code not_running}: its API answers but reports no WAL position (PostgreSQL is not running),
 *       which Patroni also counts as not reachable;
 *   <li>{@code watchdog_failed}: it needs a watchdog it does not have;
 *   <li>{@code lagging}: further behind the leader than {@code maximum_lag_on_failover};
 *   <li>{@code timeline_behind}: with {@code check_timeline}, on an older timeline than the cluster.
 * </ol>
 *
 * <p>Lag is the leader's WAL position minus the member's (the larger of received and replayed, as
 * Patroni compares them), both read in the same scrape; when the leader's own API does not answer,
 * Patroni's {@code /cluster} lag (the DCS's last positions) stands in. Not modelled: Patroni 4's
 * quorum vote count (quorum members count as synchronous standbys) and a pending manual failover's
 * candidate. In maintenance mode Patroni promotes nobody automatically whatever this says
 * ({@code pgha_patroni_cluster_paused}).
 */
final class FailoverEligibility {

  /** Why a member is not a failover candidate: the label values of {@code pgha_patroni_member_failover_blocker}. */
  enum Reason {
    LEADER, NOFAILOVER, NOSYNC, NOT_SYNC, UNREACHABLE, NOT_RUNNING, WATCHDOG_FAILED, LAGGING, TIMELINE_BEHIND;

    static final List<String> LABELS = Arrays.stream(values()).map(Reason::label).toList();

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One member's verdict: eligible, or the first reason it is not. */
  record Verdict(String member, Optional<Reason> reason) {
    boolean eligible() {
      return reason.isEmpty();
    }
  }

  private FailoverEligibility() {}

  /** Every member of {@code cluster}, judged with the members' own {@code /patroni} answers. */
  static List<Verdict> judge(PatroniCluster cluster, PatroniDynamicConfig config, Map<String, MemberProbe> probes,
      HistorySummary history) {
    Optional<PatroniCluster.Member> leader = cluster.leader();
    Optional<Long> leaderPosition = leader.flatMap(l -> answered(probes, l.name())).flatMap(PatroniStatus::walPosition);
    long clusterTimeline = clusterTimeline(cluster, history);
    List<Verdict> verdicts = new ArrayList<>(cluster.members().size());
    for (PatroniCluster.Member m : cluster.members()) {
      Optional<PatroniStatus> status = answered(probes, m.name());
      verdicts.add(new Verdict(m.name(), reason(m, status, config, leaderPosition, clusterTimeline)));
    }
    return verdicts;
  }

  private static Optional<Reason> reason(PatroniCluster.Member m, Optional<PatroniStatus> status,
      PatroniDynamicConfig config, Optional<Long> leaderPosition, long clusterTimeline) {
    if (m.leader()) {
      return Optional.of(Reason.LEADER);
    }
    MemberTags tags = status.map(s -> s.tags().or(m.tags())).orElse(m.tags());
    if (tags.forbidsPromotion()) {
      return Optional.of(Reason.NOFAILOVER);
    }
    if (config.synchronousMode().restrictsCandidates()
        && !PatroniVocabulary.role(m.role()).equals("sync_standby")) {
      return Optional.of(tags.nosync() ? Reason.NOSYNC : Reason.NOT_SYNC);
    }
    if (status.isEmpty() || m.apiUrl().isEmpty()) {
      return Optional.of(Reason.UNREACHABLE);
    }
    PatroniStatus s = status.get();
    if (s.walPosition().isEmpty()) {
      return Optional.of(Reason.NOT_RUNNING);
    }
    if (s.watchdogFailed()) {
      return Optional.of(Reason.WATCHDOG_FAILED);
    }
    Optional<Long> lag = leaderPosition.map(l -> Math.max(0, l - s.walPosition().get())).or(m::lagBytes);
    if (lag.isPresent() && lag.get() > config.maximumLagOnFailoverBytes()) {
      return Optional.of(Reason.LAGGING);
    }
    if (config.checkTimeline() && s.timeline().orElse(0L) < clusterTimeline) {
      return Optional.of(Reason.TIMELINE_BEHIND);
    }
    return Optional.empty();
  }

  /**
   * Patroni's cluster timeline: the one after the last promotion in the history, or the leader's
   * own if it reports a later one.
   */
  private static long clusterTimeline(PatroniCluster cluster, HistorySummary history) {
    long fromHistory = history.promotions() == 0 ? 1 : history.lastTimeline() + 1;
    return Math.max(fromHistory, cluster.leader().flatMap(PatroniCluster.Member::timeline).orElse(0L));
  }

  private static Optional<PatroniStatus> answered(Map<String, MemberProbe> probes, String member) {
    return probes.get(member) instanceof MemberProbe.Answered a ? Optional.of(a.status()) : Optional.empty();
  }
}
