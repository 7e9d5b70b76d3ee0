package io.pgha.etcd;

import static io.pgha.etcd.EtcdMetrics.ETCD_CLUSTER_LEADERS_SEEN;
import static io.pgha.etcd.EtcdMetrics.ETCD_CLUSTER_MEMBERS;
import static io.pgha.etcd.EtcdMetrics.ETCD_CLUSTER_MEMBERS_HEALTHY;
import static io.pgha.etcd.EtcdMetrics.ETCD_FAILURES_TOLERABLE;
import static io.pgha.etcd.EtcdMetrics.ETCD_QUORUM_AVAILABLE;
import static io.pgha.etcd.EtcdMetrics.ETCD_QUORUM_SIZE;

import io.pgha.common.Refreshed;
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
public record EtcdQuorumCollector(Refreshed<ClusterProbe> probe) implements ScrapeCollector {

  @Override
  public String name() {
    return "etcd_quorum";
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    return probe.fresh(context).map(Refreshed.Reading::value).map(EtcdQuorumCollector::snapshots);
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
        ETCD_CLUSTER_MEMBERS.snapshot(q.members()),
        ETCD_CLUSTER_MEMBERS_HEALTHY.snapshot(q.healthy()),
        ETCD_QUORUM_SIZE.snapshot(q.quorumSize()),
        ETCD_QUORUM_AVAILABLE.snapshot(q.available() ? 1 : 0),
        ETCD_FAILURES_TOLERABLE.snapshot(q.failuresTolerable()),
        ETCD_CLUSTER_LEADERS_SEEN.snapshot(leaders));
  }
}
