package io.pgha.lab.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.testkit.Recorded;
import io.pgha.lab.client.PatroniApi.MemberView;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatroniApiTest {

  @Test
  void parsesTheClusterView() throws Exception {
    List<MemberView> ms = PatroniApi.parseCluster(Http.JSON.readTree(Recorded.text("patroni-cluster.json")));
    assertThat(ms).containsExactly(
        new MemberView("pg-1", "127.0.0.21", "replica", "running", 5L, "0"),
        new MemberView("pg-2", "127.0.0.22", "leader", "running", 5L, ""),
        new MemberView("pg-3", "127.0.0.23", "replica", "running", 5L, "0"));
    assertThat(ms.get(1).leader()).isTrue();
  }

  @Test
  void aStoppedMemberHasNoTimelineAndAnUnknownLag() throws Exception {
    List<MemberView> ms = PatroniApi.parseCluster(
        Http.JSON.readTree(Recorded.text("patroni-cluster-replica-down.json")));
    assertThat(ms.get(2)).isEqualTo(new MemberView("pg-3", "127.0.0.23", "replica", "stopped", null, "unknown"));
  }
}
