package io.pgha.etcd;

import io.etcd.jetcd.api.AlarmMember;
import io.etcd.jetcd.api.AlarmType;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.cluster.MemberListResponse;
import io.etcd.jetcd.maintenance.AlarmResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Responses recorded from a 3-member etcd 3.4.23 cluster on loopback ({@code etcdctl member list
 * -w json}, {@code etcdctl endpoint status -w json}), rebuilt as the protobuf messages jetcd wraps.
 */
final class RecordedEtcd {
  static final long ETCD_1 = Long.parseUnsignedLong("10080080825441608095");
  static final long ETCD_2 = Long.parseUnsignedLong("7264358906203781785");
  static final long ETCD_3 = Long.parseUnsignedLong("15084973741709943569");
  static final long CLUSTER = 4176067467569599617L;
  static final URI E1 = URI.create("http://127.0.4.11:2379");
  static final URI E2 = URI.create("http://127.0.4.12:2379");
  static final URI E3 = URI.create("http://127.0.4.13:2379");
  static final List<URI> CONFIGURED = List.of(E1, E2, E3);

  private RecordedEtcd() {}

  static MemberListResponse memberList() {
    return new MemberListResponse(io.etcd.jetcd.api.MemberListResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setClusterId(CLUSTER).setMemberId(ETCD_3).setRaftTerm(13))
        .addMembers(member(ETCD_2, "etcd-2", "127.0.4.12"))
        .addMembers(member(ETCD_1, "etcd-1", "127.0.4.11"))
        .addMembers(member(ETCD_3, "etcd-3", "127.0.4.13"))
        .build());
  }

  private static Member member(long id, String name, String host) {
    return Member.newBuilder().setID(id).setName(name)
        .addPeerURLs("http://" + host + ":2380").addClientURLs("http://" + host + ":2379").build();
  }

  /** A member's status; {@code leader} 0 is what a member without quorum reports. */
  static StatusResponse status(long member, long leader, long term) {
    return new StatusResponse(io.etcd.jetcd.api.StatusResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setClusterId(CLUSTER).setMemberId(member).setRevision(13).setRaftTerm(term))
        .setVersion("3.4.23").setDbSize(24576).setLeader(leader).setRaftTerm(term)
        .setRaftIndex(63).setRaftAppliedIndex(63).setDbSizeInUse(20480)
        .build());
  }

  static AlarmResponse alarms(long nospaceOn, long corruptOn) {
    return new AlarmResponse(io.etcd.jetcd.api.AlarmResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setClusterId(CLUSTER).setMemberId(ETCD_3))
        .addAlarms(AlarmMember.newBuilder().setMemberID(nospaceOn).setAlarm(AlarmType.NOSPACE))
        // CORRUPT (2) is unknown to jetcd's protobuf classes; it arrives as an unrecognized value.
        .addAlarms(AlarmMember.newBuilder().setMemberID(corruptOn).setAlarmValue(2))
        .build());
  }

  static AlarmResponse noAlarms() {
    return new AlarmResponse(io.etcd.jetcd.api.AlarmResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setClusterId(CLUSTER).setMemberId(ETCD_3)).build());
  }

  static EndpointProbe up(URI endpoint, StatusResponse status, boolean healthy) {
    return new EndpointProbe(endpoint, Optional.of(EtcdClusterClient.status(status)), healthy,
        healthy ? Optional.empty() : Optional.of("quorum read: no answer within the deadline"));
  }

  static EndpointProbe down(URI endpoint) {
    return new EndpointProbe(endpoint, Optional.empty(), false,
        Optional.of("status: UNAVAILABLE: io exception (ConnectException: Connection refused)"));
  }

  /** A probe as {@link EtcdClusterClient} assembles it from these responses. */
  static ClusterProbe probe(AlarmResponse alarms, EndpointProbe... probes) {
    List<EtcdMember> members = EtcdClusterClient.members(memberList());
    Map<URI, EndpointProbe> byEndpoint = new LinkedHashMap<>();
    for (EndpointProbe p : probes) {
      byEndpoint.put(p.endpoint(), p);
    }
    return new ClusterProbe(true, members, byEndpoint, EtcdClusterClient.memberEndpoints(members, CONFIGURED),
        Optional.ofNullable(alarms).map(EtcdClusterClient::alarms));
  }
}
