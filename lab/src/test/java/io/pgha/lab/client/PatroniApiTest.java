package io.pgha.lab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.patroni.api.HistoryEntry;
import io.pgha.patroni.api.MemberTags;
import io.pgha.patroni.api.PatroniCluster;
import io.pgha.patroni.api.PatroniJson;
import io.pgha.patroni.api.UnexpectedResponseException;
import io.pgha.testkit.Recorded;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lab's recordings of Patroni 3.0.2, read by the model PatroniApi reads them with. */
class PatroniApiTest {

  private static PatroniCluster.Member member(String name, String host, String role, String state,
      Long timeline, Long lag) {
    return new PatroniCluster.Member(name, Optional.of(host), role, state,
        Optional.of(URI.create("http://" + host + ":8008/patroni")), Optional.ofNullable(timeline),
        Optional.ofNullable(lag), false, MemberTags.NONE);
  }

  @Test
  void parsesTheClusterView() throws Exception {
    List<PatroniCluster.Member> ms = PatroniJson.cluster(Http.JSON.readTree(Recorded.text("patroni-cluster.json")))
        .members();
    assertThat(ms).containsExactly(
        member("pg-1", "127.0.0.21", "replica", "running", 5L, 0L),
        member("pg-2", "127.0.0.22", "leader", "running", 5L, null),
        member("pg-3", "127.0.0.23", "replica", "running", 5L, 0L));
    assertThat(ms.get(1).leader()).isTrue();
    assertThat(ms.get(0).leader()).isFalse();
  }

  @Test
  void aStoppedMemberHasNoTimelineAndAnUnknownLag() throws Exception {
    List<PatroniCluster.Member> ms = PatroniJson.cluster(
        Http.JSON.readTree(Recorded.text("patroni-cluster-replica-down.json"))).members();
    assertThat(ms.get(2)).isEqualTo(member("pg-3", "127.0.0.23", "replica", "stopped", null, null));
  }

  @Test
  void readsPatroniHistory() throws Exception {
    List<HistoryEntry> recorded = PatroniJson.history(Http.JSON.readTree(Recorded.text("patroni-history.json")));
    List<HistoryEntry> old = PatroniJson.history(Http.JSON.readTree(
        "[[1, 100, \"no recovery target specified\"], [2, 200, \"x\", \"2025-01-01T00:00:00+00:00\", \"pg-3\"]]"));

    assertThat(recorded).containsExactly(new HistoryEntry(1, 67833272, "no recovery target specified",
        Optional.of(Instant.parse("2026-11-26T04:46:19.430856Z")), Optional.of("pg-2")));
    assertThat(old).containsExactly(
        new HistoryEntry(1, 100, "no recovery target specified", Optional.empty(), Optional.empty()),
        new HistoryEntry(2, 200, "x", Optional.of(Instant.parse("2025-01-01T00:00:00Z")), Optional.of("pg-3")));
    assertThatThrownBy(() -> PatroniJson.history(Http.JSON.readTree("[[1, 100, \"x\"], \"garbage\"]")))
        .isInstanceOf(UnexpectedResponseException.class).hasMessageStartingWith("/history: [1]");
  }
}
