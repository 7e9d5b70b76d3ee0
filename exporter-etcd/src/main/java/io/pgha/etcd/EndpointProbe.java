package io.pgha.etcd;

import java.net.URI;
import java.util.Optional;

/**
 * One endpoint probed at scrape time: its status (absent when it did not answer) and whether a
 * quorum read through it succeeded, like {@code etcdctl endpoint health}.
 */
public record EndpointProbe(URI endpoint, Optional<MemberStatus> status, boolean healthy, Optional<String> error) {

  public boolean up() {
    return status.isPresent();
  }
}
