package io.pgha.patroni;

import static io.pgha.patroni.PatroniMetrics.CLUSTER_FAILSAFE_ACTIVE;
import static io.pgha.patroni.PatroniMetrics.CLUSTER_HAS_LEADER;
import static io.pgha.patroni.PatroniMetrics.CLUSTER_LEADERS;
import static io.pgha.patroni.PatroniMetrics.CLUSTER_MEMBERS;
import static io.pgha.patroni.PatroniMetrics.CLUSTER_PAUSED;
import static io.pgha.patroni.PatroniMetrics.CLUSTER_SWITCHOVER_SCHEDULED;
import static io.pgha.patroni.PatroniMetrics.LEADER;
import static io.pgha.patroni.PatroniMetrics.MEMBER_LAG_BYTES;
import static io.pgha.patroni.PatroniMetrics.MEMBER_PENDING_RESTART;
import static io.pgha.patroni.PatroniMetrics.MEMBER_ROLE;
import static io.pgha.patroni.PatroniMetrics.MEMBER_STATE;
import static io.pgha.patroni.PatroniMetrics.MEMBER_TIMELINE;
import static io.pgha.patroni.PatroniMetrics.UP;

import io.pgha.common.FamilyPoints;
import io.pgha.common.ScrapeCollector;
import io.pgha.patroni.api.PatroniCluster;
import io.pgha.patroni.api.PatroniStatus;
import io.pgha.patroni.api.PatroniVocabulary;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cluster as Patroni's DCS sees it, from {@code GET /cluster} of any member: leader, roles,
 * states, timelines and lag of every registered member, so they are there even when a member's own
 * API is down. How many members claim leadership also counts what each member's {@code /patroni}
 * says, which is how a split brain shows.
 */
final class PatroniClusterCollector {
  private PatroniClusterCollector() {}

  static ScrapeCollector of(PatroniScope scope) {
    return new ScopeCollector("cluster", scope, scrape -> Future.all(scrape.view(), scrape.probes())
        .map(done -> snapshots(scope.name(), scrape.view().result().cluster(), scrape.probes().result().values())));
  }

  /** Pure: the cluster's metrics from its {@code /cluster} (if any member answered) and the members' {@code /patroni}. */
  static List<MetricSnapshot> snapshots(String scope, Optional<PatroniCluster> cluster, Collection<MemberProbe> probes) {
    List<MetricSnapshot> out = new ArrayList<>();
    out.add(UP.snapshot(cluster.isPresent() ? 1 : 0, scope));

    List<PatroniStatus> answered = probes.stream()
        .filter(p -> p instanceof MemberProbe.Answered).map(p -> ((MemberProbe.Answered) p).status()).toList();
    if (cluster.isPresent() || !answered.isEmpty()) {
      Set<String> claimants = new TreeSet<>();
      cluster.flatMap(PatroniCluster::leader).ifPresent(l -> claimants.add(l.name()));
      probes.stream().filter(p -> p instanceof MemberProbe.Answered a && a.status().claimsLeadership())
          .forEach(p -> claimants.add(p.member()));
      out.add(CLUSTER_LEADERS.snapshot(claimants.size(), scope));
    }
    if (!answered.isEmpty()) {
      out.add(CLUSTER_FAILSAFE_ACTIVE.snapshot(answered.stream().anyMatch(PatroniStatus::failsafeActive) ? 1 : 0, scope));
    }
    cluster.ifPresent(c -> clusterMetrics(scope, c, out));
    return out;
  }

  private static void clusterMetrics(String scope, PatroniCluster cluster, List<MetricSnapshot> out) {
    out.add(CLUSTER_HAS_LEADER.snapshot(cluster.leader().isPresent() ? 1 : 0, scope));
    out.add(CLUSTER_MEMBERS.snapshot(cluster.members().size(), scope));
    out.add(CLUSTER_PAUSED.snapshot(cluster.paused() ? 1 : 0, scope));
    out.add(CLUSTER_SWITCHOVER_SCHEDULED.snapshot(cluster.switchoverScheduled() ? 1 : 0, scope));

    FamilyPoints points = new FamilyPoints(LEADER, MEMBER_ROLE, MEMBER_STATE, MEMBER_TIMELINE, MEMBER_LAG_BYTES,
        MEMBER_PENDING_RESTART);
    for (PatroniCluster.Member m : cluster.members()) {
      String member = m.name();
      boolean isLeader = PatroniVocabulary.isLeaderRole(m.role());
      // The leader is where lag is measured from; a series for it keeps the set stable through a failover.
      Optional<Long> lag = isLeader ? Optional.of(0L) : m.lagBytes();
      points.add(LEADER, isLeader ? 1.0 : 0.0, scope, member)
          .addAll(MEMBER_ROLE, MEMBER_ROLE.oneHot(PatroniVocabulary.ROLES, PatroniVocabulary.role(m.role()), scope, member))
          .addAll(MEMBER_STATE,
              MEMBER_STATE.oneHot(PatroniVocabulary.STATES, PatroniVocabulary.state(m.state()), scope, member))
          .add(MEMBER_TIMELINE, m.timeline().map(Long::doubleValue).orElse(null), scope, member)
          .add(MEMBER_LAG_BYTES, lag.map(Long::doubleValue).orElse(null), scope, member)
          .add(MEMBER_PENDING_RESTART, m.pendingRestart() ? 1.0 : 0.0, scope, member);
    }
    out.addAll(points.snapshots());
  }
}
