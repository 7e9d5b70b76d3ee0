package io.pgha.etcd;

import static io.pgha.etcd.RecordedEtcd.CONFIGURED;
import static io.pgha.etcd.RecordedEtcd.E1;
import static io.pgha.etcd.RecordedEtcd.E2;
import static io.pgha.etcd.RecordedEtcd.E3;
import static io.pgha.etcd.RecordedEtcd.ETCD_1;
import static io.pgha.etcd.RecordedEtcd.ETCD_2;
import static io.pgha.etcd.RecordedEtcd.ETCD_3;
import static io.pgha.etcd.RecordedEtcd.down;
import static io.pgha.etcd.RecordedEtcd.probe;
import static io.pgha.etcd.RecordedEtcd.status;
import static io.pgha.etcd.RecordedEtcd.up;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.common.TextExposition;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Golden text of EtcdMembersCollector and EtcdQuorumCollector from recorded etcd responses. */
class EtcdClusterCollectorsTest {

  private static String render(ClusterProbe probe) {
    List<MetricSnapshot> all = new ArrayList<>(EtcdMembersCollector.snapshots(probe, CONFIGURED));
    all.addAll(EtcdQuorumCollector.snapshots(probe));
    return TextExposition.render(all);
  }

  private static String only(String text, String metric) {
    return text.lines().filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
        .collect(Collectors.joining("\n", "", "\n"));
  }

  /** The background probe never answered in time (etcd hanging, or a cold start): up 0, not a missing series. */
  @Test
  void aProbeThatNeverAnswersStillGivesUpZero() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try (io.pgha.common.Refreshed<ClusterProbe> never = new io.pgha.common.Refreshed<>(vertx, "the etcd cluster probe",
        java.time.Duration.ofHours(1), java.time.Duration.ofSeconds(5), java.time.Duration.ofHours(1),
        ctx -> io.vertx.core.Promise.<ClusterProbe>promise().future())) {
      List<MetricSnapshot> out = new EtcdMembersCollector(never, CONFIGURED)
          .collect(io.pgha.common.ScrapeContext.withTimeout(vertx, 200)).await(10, java.util.concurrent.TimeUnit.SECONDS);
      String text = TextExposition.render(out);
      assertThat(only(text, EtcdMetrics.ETCD_UP.name())).isEqualTo(EtcdMetrics.ETCD_UP.name() + " 0.0\n");
      assertThat(only(text, EtcdMetrics.ETCD_ENDPOINT_UP.name()).lines()).hasSize(CONFIGURED.size())
          .allMatch(l -> l.endsWith(" 0.0"));
    } finally {
      vertx.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void threeHealthyMembers() {
    ClusterProbe p = probe(RecordedEtcd.noAlarms(),
        up(E1, status(ETCD_1, ETCD_3, 13), true),
        up(E2, status(ETCD_2, ETCD_3, 13), true),
        up(E3, status(ETCD_3, ETCD_3, 13), true));

    assertThat(render(p)).isEqualTo("""
        # HELP pgha_etcd_alarm 1 while the alarm is raised on the member (nospace: quota exceeded, writes refused; corrupt: data mismatch).
        # TYPE pgha_etcd_alarm gauge
        pgha_etcd_alarm{alarm="corrupt",member="etcd-1"} 0.0
        pgha_etcd_alarm{alarm="corrupt",member="etcd-2"} 0.0
        pgha_etcd_alarm{alarm="corrupt",member="etcd-3"} 0.0
        pgha_etcd_alarm{alarm="nospace",member="etcd-1"} 0.0
        pgha_etcd_alarm{alarm="nospace",member="etcd-2"} 0.0
        pgha_etcd_alarm{alarm="nospace",member="etcd-3"} 0.0
        # HELP pgha_etcd_cluster_leaders_seen Distinct raft leaders named by the members that answered: 1 normally, 0 without a leader, more if they disagree.
        # TYPE pgha_etcd_cluster_leaders_seen gauge
        pgha_etcd_cluster_leaders_seen 1.0
        # HELP pgha_etcd_cluster_members Voting members in the etcd cluster (learners excluded).
        # TYPE pgha_etcd_cluster_members gauge
        pgha_etcd_cluster_members 3.0
        # HELP pgha_etcd_cluster_members_healthy Voting members through which a quorum read succeeded.
        # TYPE pgha_etcd_cluster_members_healthy gauge
        pgha_etcd_cluster_members_healthy 3.0
        # HELP pgha_etcd_endpoint_up 1 if the configured endpoint answered a status request.
        # TYPE pgha_etcd_endpoint_up gauge
        pgha_etcd_endpoint_up{endpoint="http://127.0.4.11:2379"} 1.0
        pgha_etcd_endpoint_up{endpoint="http://127.0.4.12:2379"} 1.0
        pgha_etcd_endpoint_up{endpoint="http://127.0.4.13:2379"} 1.0
        # HELP pgha_etcd_failures_tolerable How many more members may fail before quorum is lost.
        # TYPE pgha_etcd_failures_tolerable gauge
        pgha_etcd_failures_tolerable 1.0
        # HELP pgha_etcd_member_db_size_bytes Size of the member's backend database file, in bytes.
        # TYPE pgha_etcd_member_db_size_bytes gauge
        pgha_etcd_member_db_size_bytes{member="etcd-1"} 24576.0
        pgha_etcd_member_db_size_bytes{member="etcd-2"} 24576.0
        pgha_etcd_member_db_size_bytes{member="etcd-3"} 24576.0
        # HELP pgha_etcd_member_healthy 1 if a quorum (linearizable) read through the member succeeded, like etcdctl endpoint health.
        # TYPE pgha_etcd_member_healthy gauge
        pgha_etcd_member_healthy{member="etcd-1"} 1.0
        pgha_etcd_member_healthy{member="etcd-2"} 1.0
        pgha_etcd_member_healthy{member="etcd-3"} 1.0
        # HELP pgha_etcd_member_is_leader 1 if the member says it is the raft leader; absent while it does not answer.
        # TYPE pgha_etcd_member_is_leader gauge
        pgha_etcd_member_is_leader{member="etcd-1"} 0.0
        pgha_etcd_member_is_leader{member="etcd-2"} 0.0
        pgha_etcd_member_is_leader{member="etcd-3"} 1.0
        # HELP pgha_etcd_member_learner 1 if the member is a non-voting learner.
        # TYPE pgha_etcd_member_learner gauge
        pgha_etcd_member_learner{member="etcd-1"} 0.0
        pgha_etcd_member_learner{member="etcd-2"} 0.0
        pgha_etcd_member_learner{member="etcd-3"} 0.0
        # HELP pgha_etcd_member_raft_term The raft term the member reports; absent while it does not answer.
        # TYPE pgha_etcd_member_raft_term gauge
        pgha_etcd_member_raft_term{member="etcd-1"} 13.0
        pgha_etcd_member_raft_term{member="etcd-2"} 13.0
        pgha_etcd_member_raft_term{member="etcd-3"} 13.0
        # HELP pgha_etcd_member_up 1 if the member answered a status request.
        # TYPE pgha_etcd_member_up gauge
        pgha_etcd_member_up{member="etcd-1"} 1.0
        pgha_etcd_member_up{member="etcd-2"} 1.0
        pgha_etcd_member_up{member="etcd-3"} 1.0
        # HELP pgha_etcd_quorum_available 1 while the healthy members reach the quorum size.
        # TYPE pgha_etcd_quorum_available gauge
        pgha_etcd_quorum_available 1.0
        # HELP pgha_etcd_quorum_size Votes needed for a raft quorum: members / 2 + 1.
        # TYPE pgha_etcd_quorum_size gauge
        pgha_etcd_quorum_size 2.0
        # HELP pgha_etcd_up 1 if some etcd endpoint answered the member list, 0 if none did.
        # TYPE pgha_etcd_up gauge
        pgha_etcd_up 1.0
        """);
  }

  @Test
  void oneMemberStoppedLeavesQuorumWithNoMarginAndAnotherLeader() {
    ClusterProbe p = probe(RecordedEtcd.noAlarms(),
        down(E1),
        up(E2, status(ETCD_2, ETCD_2, 14), true),
        up(E3, status(ETCD_3, ETCD_2, 14), true));
    String text = render(p);

    assertThat(only(text, "pgha_etcd_member_up")).isEqualTo("""
        pgha_etcd_member_up{member="etcd-1"} 0.0
        pgha_etcd_member_up{member="etcd-2"} 1.0
        pgha_etcd_member_up{member="etcd-3"} 1.0
        """);
    assertThat(only(text, "pgha_etcd_member_is_leader")).as("absent for the member that did not answer").isEqualTo("""
        pgha_etcd_member_is_leader{member="etcd-2"} 1.0
        pgha_etcd_member_is_leader{member="etcd-3"} 0.0
        """);
    assertThat(only(text, EtcdMetrics.ETCD_CLUSTER_MEMBERS_HEALTHY.name())).isEqualTo("pgha_etcd_cluster_members_healthy 2.0\n");
    assertThat(only(text, EtcdMetrics.ETCD_QUORUM_AVAILABLE.name())).isEqualTo("pgha_etcd_quorum_available 1.0\n");
    assertThat(only(text, EtcdMetrics.ETCD_FAILURES_TOLERABLE.name())).isEqualTo("pgha_etcd_failures_tolerable 0.0\n");
    assertThat(only(text, "pgha_etcd_endpoint_up")).isEqualTo("""
        pgha_etcd_endpoint_up{endpoint="http://127.0.4.11:2379"} 0.0
        pgha_etcd_endpoint_up{endpoint="http://127.0.4.12:2379"} 1.0
        pgha_etcd_endpoint_up{endpoint="http://127.0.4.13:2379"} 1.0
        """);
  }

  @Test
  void twoMembersStoppedLoseQuorumAndTheSurvivorIsStillReported() {
    // The survivor answers status (with no leader) but not a quorum read; the alarm list needs quorum.
    ClusterProbe p = probe(null, down(E1), down(E2), up(E3, status(ETCD_3, 0, 15), false));

    assertThat(render(p)).isEqualTo("""
        # HELP pgha_etcd_cluster_leaders_seen Distinct raft leaders named by the members that answered: 1 normally, 0 without a leader, more if they disagree.
        # TYPE pgha_etcd_cluster_leaders_seen gauge
        pgha_etcd_cluster_leaders_seen 0.0
        # HELP pgha_etcd_cluster_members Voting members in the etcd cluster (learners excluded).
        # TYPE pgha_etcd_cluster_members gauge
        pgha_etcd_cluster_members 3.0
        # HELP pgha_etcd_cluster_members_healthy Voting members through which a quorum read succeeded.
        # TYPE pgha_etcd_cluster_members_healthy gauge
        pgha_etcd_cluster_members_healthy 0.0
        # HELP pgha_etcd_endpoint_up 1 if the configured endpoint answered a status request.
        # TYPE pgha_etcd_endpoint_up gauge
        pgha_etcd_endpoint_up{endpoint="http://127.0.4.11:2379"} 0.0
        pgha_etcd_endpoint_up{endpoint="http://127.0.4.12:2379"} 0.0
        pgha_etcd_endpoint_up{endpoint="http://127.0.4.13:2379"} 1.0
        # HELP pgha_etcd_failures_tolerable How many more members may fail before quorum is lost.
        # TYPE pgha_etcd_failures_tolerable gauge
        pgha_etcd_failures_tolerable 0.0
        # HELP pgha_etcd_member_db_size_bytes Size of the member's backend database file, in bytes.
        # TYPE pgha_etcd_member_db_size_bytes gauge
        pgha_etcd_member_db_size_bytes{member="etcd-3"} 24576.0
        # HELP pgha_etcd_member_healthy 1 if a quorum (linearizable) read through the member succeeded, like etcdctl endpoint health.
        # TYPE pgha_etcd_member_healthy gauge
        pgha_etcd_member_healthy{member="etcd-1"} 0.0
        pgha_etcd_member_healthy{member="etcd-2"} 0.0
        pgha_etcd_member_healthy{member="etcd-3"} 0.0
        # HELP pgha_etcd_member_is_leader 1 if the member says it is the raft leader; absent while it does not answer.
        # TYPE pgha_etcd_member_is_leader gauge
        pgha_etcd_member_is_leader{member="etcd-3"} 0.0
        # HELP pgha_etcd_member_learner 1 if the member is a non-voting learner.
        # TYPE pgha_etcd_member_learner gauge
        pgha_etcd_member_learner{member="etcd-1"} 0.0
        pgha_etcd_member_learner{member="etcd-2"} 0.0
        pgha_etcd_member_learner{member="etcd-3"} 0.0
        # HELP pgha_etcd_member_raft_term The raft term the member reports; absent while it does not answer.
        # TYPE pgha_etcd_member_raft_term gauge
        pgha_etcd_member_raft_term{member="etcd-3"} 15.0
        # HELP pgha_etcd_member_up 1 if the member answered a status request.
        # TYPE pgha_etcd_member_up gauge
        pgha_etcd_member_up{member="etcd-1"} 0.0
        pgha_etcd_member_up{member="etcd-2"} 0.0
        pgha_etcd_member_up{member="etcd-3"} 1.0
        # HELP pgha_etcd_quorum_available 1 while the healthy members reach the quorum size.
        # TYPE pgha_etcd_quorum_available gauge
        pgha_etcd_quorum_available 0.0
        # HELP pgha_etcd_quorum_size Votes needed for a raft quorum: members / 2 + 1.
        # TYPE pgha_etcd_quorum_size gauge
        pgha_etcd_quorum_size 2.0
        # HELP pgha_etcd_up 1 if some etcd endpoint answered the member list, 0 if none did.
        # TYPE pgha_etcd_up gauge
        pgha_etcd_up 1.0
        """);
  }

  @Test
  void noEndpointAnsweringMeansUnknownNotLost() {
    ClusterProbe p = ClusterProbe.unreachable(Map.of(E1, down(E1), E2, down(E2), E3, down(E3)));

    assertThat(render(p)).isEqualTo("""
        # HELP pgha_etcd_endpoint_up 1 if the configured endpoint answered a status request.
        # TYPE pgha_etcd_endpoint_up gauge
        pgha_etcd_endpoint_up{endpoint="http://127.0.4.11:2379"} 0.0
        pgha_etcd_endpoint_up{endpoint="http://127.0.4.12:2379"} 0.0
        pgha_etcd_endpoint_up{endpoint="http://127.0.4.13:2379"} 0.0
        # HELP pgha_etcd_up 1 if some etcd endpoint answered the member list, 0 if none did.
        # TYPE pgha_etcd_up gauge
        pgha_etcd_up 0.0
        """);
  }

  @Test
  void alarmsAreMappedToTheirMembers() {
    ClusterProbe p = probe(RecordedEtcd.alarms(ETCD_2, ETCD_1),
        up(E1, status(ETCD_1, ETCD_3, 13), true),
        up(E2, status(ETCD_2, ETCD_3, 13), true),
        up(E3, status(ETCD_3, ETCD_3, 13), true));

    assertThat(only(render(p), "pgha_etcd_alarm")).isEqualTo("""
        pgha_etcd_alarm{alarm="corrupt",member="etcd-1"} 1.0
        pgha_etcd_alarm{alarm="corrupt",member="etcd-2"} 0.0
        pgha_etcd_alarm{alarm="corrupt",member="etcd-3"} 0.0
        pgha_etcd_alarm{alarm="nospace",member="etcd-1"} 0.0
        pgha_etcd_alarm{alarm="nospace",member="etcd-2"} 1.0
        pgha_etcd_alarm{alarm="nospace",member="etcd-3"} 0.0
        """);
  }

  @Test
  void twoLeadersNamedAtOnceShowAsDisagreement() {
    // A partitioned old leader still naming itself while the others elected a new one.
    ClusterProbe p = probe(RecordedEtcd.noAlarms(),
        up(E1, status(ETCD_1, ETCD_1, 13), false),
        up(E2, status(ETCD_2, ETCD_3, 14), true),
        up(E3, status(ETCD_3, ETCD_3, 14), true));

    assertThat(only(render(p), EtcdMetrics.ETCD_CLUSTER_LEADERS_SEEN.name())).isEqualTo("pgha_etcd_cluster_leaders_seen 2.0\n");
  }

  @Test
  void aConfiguredEndpointIsPreferredAndAnAdvertisedOneFillsIn() {
    List<EtcdMember> members = EtcdClusterClient.members(RecordedEtcd.memberList());
    Map<Long, URI> chosen = EtcdClusterClient.memberEndpoints(members, List.of(E2));

    assertThat(chosen).containsEntry(ETCD_2, E2).containsEntry(ETCD_1, E1).containsEntry(ETCD_3, E3);
    assertThat(members).extracting(EtcdMember::label).containsExactly("etcd-2", "etcd-1", "etcd-3");
    assertThat(new EtcdMember(0xabcL, "", List.of(), false).label()).as("added, never started").isEqualTo("abc");
  }
}
