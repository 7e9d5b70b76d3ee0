package io.pgha.patroni;

import static io.pgha.common.Snapshots.gauge;
import static io.pgha.common.Snapshots.gaugePoint;
import static io.pgha.common.Snapshots.oneHot;

import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.pgha.patroni.api.PatroniCluster;
import io.pgha.patroni.api.PatroniStatus;
import io.pgha.patroni.api.PatroniVocabulary;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
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
final class PatroniClusterCollector implements ScrapeCollector {
  static final String UP = "pgha_patroni_up";
  static final String HAS_LEADER = "pgha_patroni_cluster_has_leader";
  static final String LEADERS = "pgha_patroni_cluster_leaders";
  static final String MEMBERS = "pgha_patroni_cluster_members";
  static final String PAUSED = "pgha_patroni_cluster_paused";
  static final String FAILSAFE = "pgha_patroni_cluster_failsafe_active";
  static final String SWITCHOVER_SCHEDULED = "pgha_patroni_cluster_switchover_scheduled";
  static final String LEADER = "pgha_patroni_leader";
  static final String ROLE = "pgha_patroni_member_role";
  static final String STATE = "pgha_patroni_member_state";
  static final String TIMELINE = "pgha_patroni_member_timeline";
  static final String LAG = "pgha_patroni_member_lag_bytes";
  static final String PENDING_RESTART = "pgha_patroni_member_pending_restart";

  private final PatroniScope scope;

  PatroniClusterCollector(PatroniScope scope) {
    this.scope = scope;
  }

  @Override
  public String name() {
    return "cluster:" + scope.name();
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    PatroniScope.Scrape scrape = scope.scrape(context);
    return Future.all(scrape.view(), scrape.probes())
        .map(done -> snapshots(scope.name(), scrape.view().result().cluster(), scrape.probes().result().values()));
  }

  /** Pure: the cluster's metrics from its {@code /cluster} (if any member answered) and the members' {@code /patroni}. */
  static List<MetricSnapshot> snapshots(String scope, Optional<PatroniCluster> cluster, Collection<MemberProbe> probes) {
    List<MetricSnapshot> out = new ArrayList<>();
    out.add(gauge(UP, "1 if a member of the scope answered GET /cluster, 0 if none did.",
        gaugePoint(cluster.isPresent() ? 1 : 0, "scope", scope)));

    List<PatroniStatus> answered = probes.stream()
        .filter(p -> p instanceof MemberProbe.Answered).map(p -> ((MemberProbe.Answered) p).status()).toList();
    if (cluster.isPresent() || !answered.isEmpty()) {
      Set<String> claimants = new TreeSet<>();
      cluster.flatMap(PatroniCluster::leader).ifPresent(l -> claimants.add(l.name()));
      probes.stream().filter(p -> p instanceof MemberProbe.Answered a && a.status().claimsLeadership())
          .forEach(p -> claimants.add(p.member()));
      out.add(gauge(LEADERS, "How many members claim the leader role: the DCS leader key holder and every member whose "
          + "PostgreSQL runs as primary (or standby leader) by its own GET /patroni. More than 1 is a split brain.",
          gaugePoint(claimants.size(), "scope", scope)));
    }
    if (!answered.isEmpty()) {
      out.add(gauge(FAILSAFE, "1 if a member reports DCS failsafe mode active (GET /patroni failsafe_mode_is_active).",
          gaugePoint(answered.stream().anyMatch(PatroniStatus::failsafeActive) ? 1 : 0, "scope", scope)));
    }
    cluster.ifPresent(c -> clusterMetrics(scope, c, out));
    return out;
  }

  private static void clusterMetrics(String scope, PatroniCluster cluster, List<MetricSnapshot> out) {
    out.add(gauge(HAS_LEADER, "1 if a member holds the leader key (GET /cluster lists a leader or standby_leader).",
        gaugePoint(cluster.leader().isPresent() ? 1 : 0, "scope", scope)));
    out.add(gauge(MEMBERS, "Members registered in the DCS (GET /cluster).",
        gaugePoint(cluster.members().size(), "scope", scope)));
    out.add(gauge(PAUSED, "1 if the cluster is in maintenance mode (patronictl pause): no automatic failover.",
        gaugePoint(cluster.paused() ? 1 : 0, "scope", scope)));
    out.add(gauge(SWITCHOVER_SCHEDULED, "1 if a switchover is scheduled (GET /cluster scheduled_switchover).",
        gaugePoint(cluster.switchoverScheduled() ? 1 : 0, "scope", scope)));

    List<GaugeDataPointSnapshot> leader = new ArrayList<>();
    List<GaugeDataPointSnapshot> roles = new ArrayList<>();
    List<GaugeDataPointSnapshot> states = new ArrayList<>();
    List<GaugeDataPointSnapshot> timelines = new ArrayList<>();
    List<GaugeDataPointSnapshot> lags = new ArrayList<>();
    List<GaugeDataPointSnapshot> pending = new ArrayList<>();
    for (PatroniCluster.Member m : cluster.members()) {
      String[] labels = {"scope", scope, "member", m.name()};
      boolean isLeader = PatroniVocabulary.isLeaderRole(m.role());
      leader.add(gaugePoint(isLeader ? 1 : 0, labels));
      roles.addAll(oneHot("role", PatroniVocabulary.ROLES, PatroniVocabulary.role(m.role()), labels));
      states.addAll(oneHot("state", PatroniVocabulary.STATES, PatroniVocabulary.state(m.state()), labels));
      m.timeline().ifPresent(t -> timelines.add(gaugePoint(t, labels)));
      // The leader is where lag is measured from; a series for it keeps the set stable through a failover.
      Optional<Long> lag = isLeader ? Optional.of(0L) : m.lagBytes();
      lag.ifPresent(l -> lags.add(gaugePoint(l, labels)));
      pending.add(gaugePoint(m.pendingRestart() ? 1 : 0, labels));
    }
    out.add(gauge(LEADER, "1 for the member that holds the leader key, 0 for the others (GET /cluster).", leader));
    out.add(gauge(ROLE, "The member's role in the cluster, one series per role, 1 for the current one "
        + "(GET /cluster; quorum_standby counts as sync_standby, unknown roles as other).", roles));
    out.add(gauge(STATE, "The member's state, one series per state, 1 for the current one "
        + "(GET /cluster; spaces as underscores, unknown states as other).", states));
    out.add(gauge(TIMELINE, "PostgreSQL timeline the member last reported to the DCS (GET /cluster).", timelines));
    out.add(gauge(LAG, "Bytes of WAL the member is behind the leader, as Patroni computes it from the DCS "
        + "(GET /cluster lag); 0 for the leader, absent when Patroni says unknown.", lags));
    out.add(gauge(PENDING_RESTART, "1 if the member needs a restart to apply its configuration (GET /cluster).", pending));
  }
}
