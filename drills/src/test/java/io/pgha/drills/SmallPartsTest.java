package io.pgha.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.etcd.EtcdMetrics;
import io.pgha.lab.client.EtcdApi;
import io.pgha.testkit.Recorded;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leader key, plans, names and numbers (Patroni's history: lab's PatroniApiTest). */
class SmallPartsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsTheLeaderKeyHolderFromEtcdsGateway() throws Exception {
    assertThat(EtcdApi.value(JSON.readTree(Recorded.text("drill/etcd-leader-range.json")))).isEqualTo("pg-2");
    assertThat(EtcdApi.value(JSON.readTree("{\"header\":{},\"count\":\"0\"}"))).isNull();
  }

  @Test
  void plansNameTheirVariants() {
    List<DrillPlan> all = DrillPlan.all(false);

    assertThat(all).extracting(DrillPlan::id).containsExactly("replica-stop", "leader-kill", "leader-kill-sync",
        "leader-stop", "switchover", "etcd-one-down", "etcd-majority-down-failsafe-off",
        "etcd-majority-down-failsafe-on", "haproxy-down", "leader-partition-dcs", "leader-isolated",
        "replica-partition", "etcd-member-partition", "lagging-failover-over-limit", "lagging-failover-limit-raised",
        "lagging-failover-sync-limit-raised", "etcd-slow");
    assertThat(all).extracting(DrillPlan::title).contains("leader-kill --sync", "etcd-majority-down (failsafe on)",
        "lagging-failover (lag over the limit)", "lagging-failover --sync (lag limit raised)");
    assertThat(DrillPlan.all(true)).allMatch(DrillPlan::sync).hasSize(15);
    assertThat(all).filteredOn(p -> p.kind().network()).extracting(DrillPlan::id)
        .containsExactlyElementsOf(DrillPlan.network(false).stream().map(DrillPlan::id).toList());
    assertThatThrownBy(() -> DrillKind.byName("leader-punch")).hasMessage("no drill named leader-punch (drills: "
        + "replica-stop, leader-kill, leader-stop, switchover, etcd-one-down, etcd-majority-down, haproxy-down, "
        + "leader-partition-dcs, leader-isolated, replica-partition, etcd-member-partition, lagging-failover, "
        + "etcd-slow, all)");
  }

  @Test
  void formatsFiguresForPeople() {
    assertThat(Fmt.seconds(9_649)).isEqualTo("9.6 s");
    assertThat(Fmt.seconds(123_400)).isEqualTo("123 s");
    assertThat(Fmt.seconds(-40)).isEqualTo("0.0 s");
    assertThat(Fmt.seconds(-460)).isEqualTo("-0.5 s");
    assertThat(Fmt.bytes(-464)).isEqualTo("-464 B");
    assertThat(Fmt.bytes(4_700)).isEqualTo("4.6 KiB");
    assertThat(Fmt.bytes(3_300_000)).isEqualTo("3.1 MiB");
    assertThat(WalDistance.lsn(67833272)).isEqualTo("0/40B0DB8");
    assertThat(WalDistance.lsn((5L << 32) + 16)).isEqualTo("5/10");
    assertThat(DrillTable.shortName(EtcdMetrics.DCS_LEADER.name() + "{member=\"pg-2\"} 1")).isEqualTo("dcs_leader=1");
    assertThat(DrillTable.shortName("patroni_primary 0 on pg-1")).isEqualTo("patroni_primary=0 on pg-1");
    assertThat(DrillTable.shortName("pg-3's /metrics stops answering")).isEqualTo("pg-3's /metrics stops answering");
  }
}
