package io.pgha.etcd;

import static io.pgha.etcd.EtcdMetrics.ETCD_ALARM;
import static io.pgha.etcd.EtcdMetrics.ETCD_ENDPOINT_UP;
import static io.pgha.etcd.EtcdMetrics.ETCD_MEMBER_DB_SIZE_BYTES;
import static io.pgha.etcd.EtcdMetrics.ETCD_MEMBER_HEALTHY;
import static io.pgha.etcd.EtcdMetrics.ETCD_MEMBER_IS_LEADER;
import static io.pgha.etcd.EtcdMetrics.ETCD_MEMBER_LEARNER;
import static io.pgha.etcd.EtcdMetrics.ETCD_MEMBER_RAFT_TERM;
import static io.pgha.etcd.EtcdMetrics.ETCD_MEMBER_UP;
import static io.pgha.etcd.EtcdMetrics.ETCD_UP;

import io.pgha.common.FamilyPoints;
import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.pgha.common.Refreshed;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Per-member state of the etcd cluster: reachable, healthy (quorum read), leader, term, size, alarms. */
public final class EtcdMembersCollector implements ScrapeCollector {
  static final List<String> ALARMS = List.of("corrupt", "nospace");

  private final Refreshed<ClusterProbe> probe;
  private final List<URI> configured;

  EtcdMembersCollector(Refreshed<ClusterProbe> probe, List<URI> configured) {
    this.probe = probe;
    this.configured = List.copyOf(configured);
  }

  @Override
  public String name() {
    return "etcd_members";
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    return probe.fresh(context).map(Refreshed.Reading::value).map(p -> snapshots(p, configured));
  }

  static List<MetricSnapshot> snapshots(ClusterProbe probe, List<URI> configured) {
    List<MetricSnapshot> out = new ArrayList<>();
    out.add(ETCD_UP.snapshot(probe.reachable() ? 1 : 0));
    List<GaugeDataPointSnapshot> endpointUp = new ArrayList<>();
    for (URI endpoint : configured) {
      boolean up = Optional.ofNullable(probe.probes().get(endpoint)).map(EndpointProbe::up).orElse(false);
      endpointUp.add(ETCD_ENDPOINT_UP.point(up ? 1 : 0, endpoint.toString()));
    }
    out.add(ETCD_ENDPOINT_UP.snapshot(endpointUp));
    if (!probe.reachable()) {
      return out;
    }
    FamilyPoints points = new FamilyPoints(ETCD_MEMBER_UP, ETCD_MEMBER_HEALTHY, ETCD_MEMBER_LEARNER,
        ETCD_MEMBER_IS_LEADER, ETCD_MEMBER_RAFT_TERM, ETCD_MEMBER_DB_SIZE_BYTES);
    for (EtcdMember m : probe.members()) {
      String member = m.label();
      Optional<EndpointProbe> p = probe.probeOf(m);
      Optional<MemberStatus> status = p.flatMap(EndpointProbe::status);
      points.add(ETCD_MEMBER_UP, status.isPresent() ? 1.0 : 0.0, member)
          .add(ETCD_MEMBER_HEALTHY, p.map(EndpointProbe::healthy).orElse(false) ? 1.0 : 0.0, member)
          .add(ETCD_MEMBER_LEARNER, m.learner() ? 1.0 : 0.0, member);
      // A member that did not answer its status call has no leader flag, term or size: unknown, left out.
      status.ifPresent(s -> points.add(ETCD_MEMBER_IS_LEADER, s.isLeader() ? 1.0 : 0.0, member)
          .add(ETCD_MEMBER_RAFT_TERM, (double) s.raftTerm(), member)
          .add(ETCD_MEMBER_DB_SIZE_BYTES, (double) s.dbSizeBytes(), member));
    }
    out.addAll(points.snapshots());
    probe.alarms().ifPresent(alarms -> out.add(ETCD_ALARM.snapshot(alarmPoints(probe.members(), alarms))));
    return out;
  }

  private static List<GaugeDataPointSnapshot> alarmPoints(List<EtcdMember> members, List<EtcdAlarm> alarms) {
    Map<Long, List<String>> byMember = alarms.stream()
        .collect(Collectors.groupingBy(EtcdAlarm::memberId, Collectors.mapping(EtcdAlarm::alarm, Collectors.toList())));
    List<GaugeDataPointSnapshot> points = new ArrayList<>();
    for (EtcdMember m : members) {
      List<String> raised = byMember.getOrDefault(m.id(), List.of());
      for (String alarm : ALARMS) {
        points.add(ETCD_ALARM.point(raised.contains(alarm) ? 1 : 0, m.label(), alarm));
      }
    }
    return points;
  }
}
