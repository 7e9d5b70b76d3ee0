package io.pgha.etcd;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one scrape learned about the etcd cluster.
 *
 * @param members the membership, empty when no endpoint answered {@code MemberList}
 * @param reachable whether any endpoint answered {@code MemberList}
 * @param probes per endpoint probed (configured endpoints and members' client URLs)
 * @param memberEndpoints which endpoint speaks for which member (by member id)
 * @param alarms the active alarms, absent when the alarm list could not be read (it needs quorum)
 */
public record ClusterProbe(
    boolean reachable,
    List<EtcdMember> members,
    Map<URI, EndpointProbe> probes,
    Map<Long, URI> memberEndpoints,
    Optional<List<EtcdAlarm>> alarms) {

  public ClusterProbe {
    members = List.copyOf(members);
    probes = Map.copyOf(probes);
    memberEndpoints = Map.copyOf(memberEndpoints);
    alarms = alarms.map(List::copyOf);
  }

  public static ClusterProbe unreachable(Map<URI, EndpointProbe> probes) {
    return new ClusterProbe(false, List.of(), probes, Map.of(), Optional.empty());
  }

  /** The probe that speaks for this member, if it was probed. */
  public Optional<EndpointProbe> probeOf(EtcdMember member) {
    return Optional.ofNullable(memberEndpoints.get(member.id())).map(probes::get);
  }
}
