package io.pgha.lab.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterFileTest {

  static final String CLUSTER_JSON = """
      {"scope":"pgha","namespace":"/service/","offset":0,"workdir":"/var/lib/pgha/default",
       "etcd":[{"name":"etcd-1","host":"127.0.0.11","client_port":2379,"peer_port":2380}],
       "members":[{"name":"pg-1","host":"127.0.0.21","pg_port":5432,"rest_port":8008,"data_dir":"/d/pg-1"},
                  {"name":"pg-2","host":"127.0.0.22","pg_port":5432,"rest_port":8008,"data_dir":"/d/pg-2"},
                  {"name":"pg-3","host":"127.0.0.23","pg_port":5432,"rest_port":8008,"data_dir":"/d/pg-3"}],
       "haproxy":{"host":"127.0.0.1","write_port":5000,"read_port":5001,"stats_port":7001},
       "prometheus":{"host":"127.0.0.1","port":9090},"alertmanager":{"host":"127.0.0.1","port":9093},
       "exporters":{"patroni":9811,"postgres":9812,"etcd":9813},"receiver":{"host":"127.0.0.1","port":9814},
       "a_key_of_a_later_version":true}
      """;

  @TempDir Path workdir;

  private void write(String clusterJson) throws IOException {
    Files.writeString(workdir.resolve("cluster.json"), clusterJson);
  }

  @Test
  void readsEveryKeyOfTheContractAndIgnoresUnknownOnes() throws Exception {
    write(CLUSTER_JSON);

    Topology t = ClusterFile.load(workdir);

    assertThat(t.haproxy()).isEqualTo(new Topology.Haproxy("127.0.0.1", 5000, 5001, 7001));
    assertThat(t.member("pg-2")).isEqualTo(new Topology.Member("pg-2", "127.0.0.22", 5432, 8008, "/d/pg-2"));
    assertThat(t.etcd()).containsExactly(new Topology.EtcdMember("etcd-1", "127.0.0.11", 2379, 2380));
    assertThat(t.prometheus().url()).isEqualTo("http://127.0.0.1:9090");
    assertThat(t.exporters()).isEqualTo(new Topology.Exporters(9811, 9812, 9813));
    assertThat(ClusterFile.read(workdir)).contains(t);
  }

  @Test
  void whatItWritesItReads() throws Exception {
    Topology t = Topology.of(workdir, 22000);
    ClusterFile.write(t);
    assertThat(ClusterFile.load(workdir)).isEqualTo(t);
  }

  @Test
  void missingClusterFileNamesTheFile() {
    assertThatThrownBy(() -> ClusterFile.load(workdir))
        .isInstanceOf(ClusterFile.ClusterFileException.class)
        .hasMessage(workdir.resolve("cluster.json") + ": not found (./pgha up writes it; is the cluster up, "
            + "and is --workdir or PGHA_WORKDIR right?)");
    assertThat(ClusterFile.read(workdir)).isEmpty();
  }

  @Test
  void malformedJsonNamesTheFileAndThePlace() throws Exception {
    write("{\"haproxy\": {\"host\": \"127.0.0.1\",\n \"write_port\": }");

    assertThatThrownBy(() -> ClusterFile.load(workdir))
        .hasMessageStartingWith(workdir.resolve("cluster.json") + ": not valid JSON: ")
        .hasMessageContaining("(line 2, column ");
  }

  @Test
  void notAnObject() throws Exception {
    write("[1, 2]");

    assertThatThrownBy(() -> ClusterFile.load(workdir))
        .hasMessage(workdir.resolve("cluster.json") + ": not a JSON object");
  }

  @Test
  void missingOrWrongKeysAreNamed() throws Exception {
    Path file = workdir.resolve("cluster.json");
    expectProblem(CLUSTER_JSON.replace("\"haproxy\":{", "\"proxy\":{"), file + ": haproxy: missing");
    expectProblem(CLUSTER_JSON.replace("\"write_port\":5000", "\"write_port\":\"5000\""),
        file + ": haproxy.write_port: not a port number 1-65535 (got \"5000\")");
    expectProblem(CLUSTER_JSON.replace("\"read_port\":5001", "\"read_port\":70000"),
        file + ": haproxy.read_port: not a port number 1-65535 (got 70000)");
    expectProblem(CLUSTER_JSON.replace("\"host\":\"127.0.0.1\",\"write_port\"", "\"write_port\""),
        file + ": haproxy.host: missing");
    expectProblem(CLUSTER_JSON.replace("\"host\":\"127.0.0.22\",", ""), file + ": members[1].host: missing");
    expectProblem(CLUSTER_JSON.replace("\"name\":\"pg-3\"", "\"name\":3"),
        file + ": members[2].name: not a non-empty string (got 3)");
    expectProblem(CLUSTER_JSON.replace("\"pg_port\":5432,\"rest_port\":8008,\"data_dir\":\"/d/pg-1\"", "\"rest_port\":8008"),
        file + ": members[0].pg_port: missing");
    expectProblem(CLUSTER_JSON.replace("\"members\":[", "\"members\":{\"x\":[").replace("}],\n \"haproxy\"", "}]},\n \"haproxy\""),
        file + ": members: not a list");
    expectProblem(CLUSTER_JSON.replace("\"port\":9090", "\"port\":\"ninety\""),
        file + ": prometheus.port: not a port number 1-65535 (got \"ninety\")");
    expectProblem("{\"scope\":\"pgha\"}", file + ": namespace: missing");
    expectProblem(CLUSTER_JSON.replace("\"offset\":0", "\"offset\":-5"),
        file + ": offset: not a port offset, a whole number 0 or more (got -5)");
  }

  private void expectProblem(String json, String message) throws IOException {
    write(json);
    assertThatThrownBy(() -> ClusterFile.load(workdir))
        .isInstanceOf(ClusterFile.ClusterFileException.class)
        .hasMessage(message);
  }
}
