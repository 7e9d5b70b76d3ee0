package io.pgha.etcd;

import static io.pgha.common.Golden.golden;
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

import io.etcd.jetcd.maintenance.AlarmResponse;
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

  /** All three members answered, etcd-3 leading in term 13, with {@code alarms} raised. */
  private static ClusterProbe allHealthyUnderEtcd3(AlarmResponse alarms) {
    return probe(alarms,
        up(E1, status(ETCD_1, ETCD_3, 13), true),
        up(E2, status(ETCD_2, ETCD_3, 13), true),
        up(E3, status(ETCD_3, ETCD_3, 13), true));
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
    ClusterProbe p = allHealthyUnderEtcd3(RecordedEtcd.noAlarms());

    assertThat(render(p)).isEqualTo(golden("EtcdClusterCollectorsTest/threeHealthyMembers"));
  }

  @Test
  void oneMemberStoppedLeavesQuorumWithNoMarginAndAnotherLeader() {
    ClusterProbe p = probe(RecordedEtcd.noAlarms(),
        down(E1),
        up(E2, status(ETCD_2, ETCD_2, 14), true),
        up(E3, status(ETCD_3, ETCD_2, 14), true));
    String text = render(p);

    assertThat(only(text, "pgha_etcd_member_up")).isEqualTo(golden("EtcdClusterCollectorsTest/oneMemberStoppedLeavesQuorumWithNoMarginAndAnotherLeader"));
    assertThat(only(text, "pgha_etcd_member_is_leader")).as("absent for the member that did not answer").isEqualTo(golden("EtcdClusterCollectorsTest/oneMemberStoppedLeavesQuorumWithNoMarginAndAnotherLeader-2"));
    assertThat(only(text, EtcdMetrics.ETCD_CLUSTER_MEMBERS_HEALTHY.name())).isEqualTo("pgha_etcd_cluster_members_healthy 2.0\n");
    assertThat(only(text, EtcdMetrics.ETCD_QUORUM_AVAILABLE.name())).isEqualTo("pgha_etcd_quorum_available 1.0\n");
    assertThat(only(text, EtcdMetrics.ETCD_FAILURES_TOLERABLE.name())).isEqualTo("pgha_etcd_failures_tolerable 0.0\n");
    assertThat(only(text, "pgha_etcd_endpoint_up")).isEqualTo(golden("EtcdClusterCollectorsTest/oneMemberStoppedLeavesQuorumWithNoMarginAndAnotherLeader-3"));
  }

  @Test
  void twoMembersStoppedLoseQuorumAndTheSurvivorIsStillReported() {
    // The survivor answers status (with no leader) but not a quorum read; the alarm list needs quorum.
    ClusterProbe p = probe(null, down(E1), down(E2), up(E3, status(ETCD_3, 0, 15), false));

    assertThat(render(p)).isEqualTo(golden("EtcdClusterCollectorsTest/twoMembersStoppedLoseQuorumAndTheSurvivorIsStillReported"));
  }

  @Test
  void noEndpointAnsweringMeansUnknownNotLost() {
    ClusterProbe p = ClusterProbe.unreachable(Map.of(E1, down(E1), E2, down(E2), E3, down(E3)));

    assertThat(render(p)).isEqualTo(golden("EtcdClusterCollectorsTest/noEndpointAnsweringMeansUnknownNotLost"));
  }

  @Test
  void alarmsAreMappedToTheirMembers() {
    ClusterProbe p = allHealthyUnderEtcd3(RecordedEtcd.alarms(ETCD_2, ETCD_1));

    assertThat(only(render(p), "pgha_etcd_alarm")).isEqualTo(golden("EtcdClusterCollectorsTest/alarmsAreMappedToTheirMembers"));
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
