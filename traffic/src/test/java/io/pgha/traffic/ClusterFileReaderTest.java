package io.pgha.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterFileReaderTest {

  static final String CLUSTER_JSON = """
      {"scope":"pgha","namespace":"/service/","offset":0,"workdir":"/var/lib/pgha/default",
       "etcd":[{"name":"etcd-1","host":"127.0.0.11","client_port":2379,"peer_port":2380}],
       "members":[{"name":"pg-1","host":"127.0.0.21","pg_port":5432,"rest_port":8008,"data_dir":"/d/pg-1"},
                  {"name":"pg-2","host":"127.0.0.22","pg_port":5432,"rest_port":8008,"data_dir":"/d/pg-2"},
                  {"name":"pg-3","host":"127.0.0.23","pg_port":5432,"rest_port":8008,"data_dir":"/d/pg-3"}],
       "haproxy":{"host":"127.0.0.1","write_port":5000,"read_port":5001,"stats_port":7001},
       "prometheus":{"host":"127.0.0.1","port":9090},"alertmanager":{"host":"127.0.0.1","port":9093},
       "exporters":{"patroni":9811,"postgres":9812,"etcd":9813},"receiver":{"host":"127.0.0.1","port":9814}}
      """;

  @TempDir Path workdir;

  private void write(String clusterJson, String password) throws IOException {
    Files.writeString(workdir.resolve("cluster.json"), clusterJson);
    if (password != null) {
      Files.createDirectories(workdir.resolve("secrets"));
      Files.writeString(workdir.resolve("secrets/app.password"), password);
    }
  }

  @Test
  void readsEndpointsMembersAndPassword() throws Exception {
    write(CLUSTER_JSON, "s3cret\n");

    TrafficTarget target = ClusterFileReader.read(workdir, "postgres");

    assertThat(target.write()).isEqualTo(new TrafficTarget.Endpoint("127.0.0.1", 5000));
    assertThat(target.read()).isEqualTo(new TrafficTarget.Endpoint("127.0.0.1", 5001));
    assertThat(target.user()).isEqualTo("app");
    assertThat(target.password()).isEqualTo("s3cret");
    assertThat(target.database()).isEqualTo("postgres");
    assertThat(target.memberName("127.0.0.22", 5432)).isEqualTo("pg-2");
    assertThat(target.memberName("127.0.0.22", 15432)).isEqualTo("127.0.0.22:15432");
    assertThat(target.toString()).doesNotContain("s3cret");
  }

  @Test
  void missingClusterFileNamesTheFile() {
    assertThatThrownBy(() -> ClusterFileReader.read(workdir, "postgres"))
        .isInstanceOf(TrafficConfigException.class)
        .hasMessageStartingWith(workdir.resolve("cluster.json") + ": not found");
  }

  @Test
  void malformedJsonNamesTheFileAndThePlace() throws Exception {
    write("{\"haproxy\": {\"host\": \"127.0.0.1\",\n \"write_port\": }", "p");

    assertThatThrownBy(() -> ClusterFileReader.read(workdir, "postgres"))
        .hasMessageStartingWith(workdir.resolve("cluster.json") + ": not valid JSON: ")
        .hasMessageContaining("(line 2, column ");
  }

  @Test
  void notAnObject() throws Exception {
    write("[1, 2]", "p");

    assertThatThrownBy(() -> ClusterFileReader.read(workdir, "postgres"))
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
  }

  private void expectProblem(String json, String message) throws IOException {
    write(json, "p");
    assertThatThrownBy(() -> ClusterFileReader.read(workdir, "postgres"))
        .isInstanceOf(TrafficConfigException.class)
        .hasMessage(message);
  }

  @Test
  void passwordFileMissingOrEmptyIsNamed() throws Exception {
    Path passwordFile = workdir.resolve("secrets/app.password");
    write(CLUSTER_JSON, null);
    assertThatThrownBy(() -> ClusterFileReader.read(workdir, "postgres"))
        .hasMessage(passwordFile + ": not found (./pgha up generates it)");

    write(CLUSTER_JSON, "\n");
    assertThatThrownBy(() -> ClusterFileReader.read(workdir, "postgres")).hasMessage(passwordFile + ": empty");

    write(CLUSTER_JSON, "one\ntwo\n");
    assertThatThrownBy(() -> ClusterFileReader.read(workdir, "postgres"))
        .hasMessage(passwordFile + ": more than one line");
  }
}
