package io.pgha.etcd;

import java.net.URI;
import java.util.List;

/** A member as {@code MemberList} reports it. */
public record EtcdMember(long id, String name, List<URI> clientUrls, boolean learner) {

  public EtcdMember {
    clientUrls = List.copyOf(clientUrls);
  }

  /** The {@code member} label: the name, or the hex id of a member added but never started. */
  public String label() {
    return name == null || name.isEmpty() ? Long.toHexString(id) : name;
  }
}
