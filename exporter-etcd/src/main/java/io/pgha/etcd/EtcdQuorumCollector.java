package io.pgha.etcd;

import static io.pgha.common.Snapshots.gauge;
import static io.pgha.common.Snapshots.gaugePoint;

import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Quorum of the etcd cluster from the members' health. When no endpoint answers, quorum is unknown
 * rather than lost: every gauge here is then absent (and {@code pgha_etcd_up} is 0), so an alert
 * can tell "etcd lost quorum" from "the exporter is cut off".
 */
public final class EtcdQuorumCollector implements ScrapeCollector {
  private final SharedProbe probe;

  EtcdQuorumCollector(SharedProbe probe) {
    this.probe = probe;
  }

  @Override
  public String name() {
    return "etcd_quorum";
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    return probe.get(context).map(EtcdQuorumCollector::snapshots);
  }

  static List<MetricSnapshot> snapshots(ClusterProbe probe) {
    if (!probe.reachable()) {
      return List.of();
    }
    List<EtcdMember> voters = probe.members().stream().filter(m -> !m.learner()).toList();
    int healthy = (int) voters.stream()
        .filter(m -> probe.probeOf(m).map(EndpointProbe::healthy).orElse(false)).count();
    EtcdQuorum q = new EtcdQuorum(voters.size(), healthy);
    long leaders = probe.members().stream()
        .map(probe::probeOf).flatMap(Optional::stream)
        .map(EndpointProbe::status).flatMap(Optional::stream)
        .mapToLong(MemberStatus::leaderId).filter(id -> id != 0).distinct().count();
    return List.of(
        gauge("pgha_etcd_cluster_members", "Voting members in the etcd cluster (learners excluded).", gaugePoint(q.members())),
        gauge("pgha_etcd_cluster_members_healthy", "Voting members through which a quorum read succeeded.", gaugePoint(q.healthy())),
        gauge("pgha_etcd_quorum_size", "Votes needed for a raft quorum: members / 2 + 1.", gaugePoint(q.quorumSize())),
        gauge("pgha_etcd_quorum_available", "1 while the healthy members reach the quorum size.", gaugePoint(q.available() ? 1 : 0)),
        gauge("pgha_etcd_failures_tolerable", "How many more members may fail before quorum is lost.", gaugePoint(q.failuresTolerable())),
        gauge("pgha_etcd_cluster_leaders_seen",
            "Distinct raft leaders named by the members that answered: 1 normally, 0 without a leader, more if they disagree.",
            gaugePoint(leaders)));
  }
}
