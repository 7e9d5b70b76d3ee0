package io.pgha.lab.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TopologyTest {

  @Test
  void clusterJsonIsExactlyTheContract() {
    String expected = """
        {"scope":"pgha","namespace":"/service/","offset":0,"workdir":"/var/lib/pgha/default",\
        "etcd":[{"name":"etcd-1","host":"127.0.0.11","client_port":2379,"peer_port":2380},\
        {"name":"etcd-2","host":"127.0.0.12","client_port":2379,"peer_port":2380},\
        {"name":"etcd-3","host":"127.0.0.13","client_port":2379,"peer_port":2380}],\
        "members":[{"name":"pg-1","host":"127.0.0.21","pg_port":5432,"rest_port":8008,\
        "data_dir":"/var/lib/pgha/default/pg-1/data"},\
        {"name":"pg-2","host":"127.0.0.22","pg_port":5432,"rest_port":8008,\
        "data_dir":"/var/lib/pgha/default/pg-2/data"},\
        {"name":"pg-3","host":"127.0.0.23","pg_port":5432,"rest_port":8008,\
        "data_dir":"/var/lib/pgha/default/pg-3/data"}],\
        "haproxy":{"host":"127.0.0.1","write_port":5000,"read_port":5001,"stats_port":7001},\
        "prometheus":{"host":"127.0.0.1","port":9090},"alertmanager":{"host":"127.0.0.1","port":9093},\
        "exporters":{"patroni":9811,"postgres":9812,"etcd":9813},"receiver":{"host":"127.0.0.1","port":9814}}""";
    assertThat(ClusterFile.toJson(Topology.of(Path.of("/var/lib/pgha/default"), 0))).isEqualTo(expected);
  }

  @Test
  void theOffsetShiftsEveryPortAndNoAddress() {
    Topology t = Topology.of(Path.of("/tmp/pgha-it"), 10000);
    assertThat(t.etcd()).extracting(Topology.EtcdMember::clientPort).containsOnly(12379);
    assertThat(t.etcd()).extracting(Topology.EtcdMember::peerPort).containsOnly(12380);
    assertThat(t.etcd()).extracting(Topology.EtcdMember::host)
        .containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13");
    assertThat(t.members()).extracting(Topology.Member::pgPort).containsOnly(15432);
    assertThat(t.members()).extracting(Topology.Member::restPort).containsOnly(18008);
    assertThat(t.haproxy()).isEqualTo(new Topology.Haproxy("127.0.0.1", 15000, 15001, 17001));
    assertThat(t.prometheus().port()).isEqualTo(19090);
    assertThat(t.alertmanager().port()).isEqualTo(19093);
    assertThat(t.exporters()).isEqualTo(new Topology.Exporters(19811, 19812, 19813));
    assertThat(t.receiver().port()).isEqualTo(19814);
    assertThat(t.member("pg-2").dataDir()).isEqualTo("/tmp/pgha-it/pg-2/data");
  }

  @Test
  void jsonRoundTrips() {
    Topology t = Topology.of(Path.of("/tmp/x/../pgha-it"), 10000);
    assertThat(t.workdir()).isEqualTo("/tmp/pgha-it");
    assertThat(ClusterFile.fromJson(Path.of("cluster.json"), ClusterFile.toJson(t))).isEqualTo(t);
  }

  @Test
  void anOffsetThatPushesAPortPast65535IsRefusedByName() {
    assertThatThrownBy(() -> Topology.of(Path.of("/tmp/w"), 60000))
        .hasMessage("--offset must be between 0 and 55721, got 60000");
    assertThatThrownBy(() -> Topology.of(Path.of("/tmp/w"), -1)).hasMessageContaining("--offset");
  }

  @Test
  void unknownMemberNamesTheKnownOnes() {
    Topology t = Topology.of(Path.of("/tmp/w"), 0);
    assertThatThrownBy(() -> t.member("pg-9"))
        .hasMessage("no member named pg-9 (members: [pg-1, pg-2, pg-3])");
  }
}
