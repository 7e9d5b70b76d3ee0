package io.pgha.etcd;

/** What one member's {@code Maintenance.Status} says about itself. */
public record MemberStatus(long memberId, long leaderId, long raftTerm, long dbSizeBytes, String version) {

  public boolean isLeader() {
    return leaderId != 0 && leaderId == memberId;
  }
}
