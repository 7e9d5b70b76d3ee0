package io.pgha.etcd;

import static io.pgha.common.Snapshots.gauge;
import static io.pgha.common.Snapshots.gaugePoint;

import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
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

  private final SharedProbe probe;
  private final List<URI> configured;

  EtcdMembersCollector(SharedProbe probe, List<URI> configured) {
    this.probe = probe;
    this.configured = List.copyOf(configured);
  }

  @Override
  public String name() {
    return "etcd_members";
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    return probe.get(context).map(p -> snapshots(p, configured));
  }

  static List<MetricSnapshot> snapshots(ClusterProbe probe, List<URI> configured) {
    List<MetricSnapshot> out = new ArrayList<>();
    out.add(gauge("pgha_etcd_up", "1 if some etcd endpoint answered the member list, 0 if none did.",
        gaugePoint(probe.reachable() ? 1 : 0)));
    List<GaugeDataPointSnapshot> endpointUp = new ArrayList<>();
    for (URI endpoint : configured) {
      boolean up = Optional.ofNullable(probe.probes().get(endpoint)).map(EndpointProbe::up).orElse(false);
      endpointUp.add(gaugePoint(up ? 1 : 0, "endpoint", endpoint.toString()));
    }
    out.add(gauge("pgha_etcd_endpoint_up", "1 if the configured endpoint answered a status request.", endpointUp));
    if (!probe.reachable()) {
      return out;
    }
    List<GaugeDataPointSnapshot> up = new ArrayList<>();
    List<GaugeDataPointSnapshot> healthy = new ArrayList<>();
    List<GaugeDataPointSnapshot> leader = new ArrayList<>();
    List<GaugeDataPointSnapshot> term = new ArrayList<>();
    List<GaugeDataPointSnapshot> dbSize = new ArrayList<>();
    List<GaugeDataPointSnapshot> learner = new ArrayList<>();
    for (EtcdMember m : probe.members()) {
      String member = m.label();
      Optional<EndpointProbe> p = probe.probeOf(m);
      Optional<MemberStatus> status = p.flatMap(EndpointProbe::status);
      up.add(gaugePoint(status.isPresent() ? 1 : 0, "member", member));
      healthy.add(gaugePoint(p.map(EndpointProbe::healthy).orElse(false) ? 1 : 0, "member", member));
      learner.add(gaugePoint(m.learner() ? 1 : 0, "member", member));
      status.ifPresent(s -> {
        leader.add(gaugePoint(s.isLeader() ? 1 : 0, "member", member));
        term.add(gaugePoint(s.raftTerm(), "member", member));
        dbSize.add(gaugePoint(s.dbSizeBytes(), "member", member));
      });
    }
    out.add(gauge("pgha_etcd_member_up", "1 if the member answered a status request.", up));
    out.add(gauge("pgha_etcd_member_healthy",
        "1 if a quorum (linearizable) read through the member succeeded, like etcdctl endpoint health.", healthy));
    out.add(gauge("pgha_etcd_member_learner", "1 if the member is a non-voting learner.", learner));
    out.add(gauge("pgha_etcd_member_is_leader", "1 if the member says it is the raft leader; absent while it does not answer.", leader));
    out.add(gauge("pgha_etcd_member_raft_term", "The raft term the member reports; absent while it does not answer.", term));
    out.add(gauge("pgha_etcd_member_db_size_bytes", "Size of the member's backend database file, in bytes.", dbSize));
    probe.alarms().ifPresent(alarms -> out.add(gauge("pgha_etcd_alarm",
        "1 while the alarm is raised on the member (nospace: quota exceeded, writes refused; corrupt: data mismatch).",
        alarmPoints(probe.members(), alarms))));
    return out;
  }

  private static List<GaugeDataPointSnapshot> alarmPoints(List<EtcdMember> members, List<EtcdAlarm> alarms) {
    Map<Long, List<String>> byMember = alarms.stream()
        .collect(Collectors.groupingBy(EtcdAlarm::memberId, Collectors.mapping(EtcdAlarm::alarm, Collectors.toList())));
    List<GaugeDataPointSnapshot> points = new ArrayList<>();
    for (EtcdMember m : members) {
      List<String> raised = byMember.getOrDefault(m.id(), List.of());
      for (String alarm : ALARMS) {
        points.add(gaugePoint(raised.contains(alarm) ? 1 : 0, "member", m.label(), "alarm", alarm));
      }
    }
    return points;
  }
}
