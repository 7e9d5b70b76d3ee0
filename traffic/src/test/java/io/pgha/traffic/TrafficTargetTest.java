package io.pgha.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.lab.topology.ClusterFile;
import io.pgha.lab.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrafficTargetTest {

  @TempDir Path workdir;

  @Test
  void readsEndpointsMembersAndPasswordFromTheWorkDir() throws Exception {
    ClusterFile.write(Topology.of(workdir, 0));
    Files.createDirectories(workdir.resolve("secrets"));
    Files.writeString(workdir.resolve("secrets/app.password"), "s3cret\n");

    TrafficTarget target = TrafficTarget.of(workdir, "postgres");

    assertThat(target.write()).isEqualTo(new TrafficTarget.Endpoint("127.0.0.1", 5000));
    assertThat(target.read()).isEqualTo(new TrafficTarget.Endpoint("127.0.0.1", 5001));
    assertThat(target.user()).isEqualTo("app");
    assertThat(target.password()).isEqualTo("s3cret");
    assertThat(target.database()).isEqualTo("postgres");
    assertThat(target.memberName("127.0.0.22", 5432)).isEqualTo("pg-2");
    assertThat(target.memberName("127.0.0.22", 15432)).isEqualTo("127.0.0.22:15432");
    assertThat(target.toString()).doesNotContain("s3cret");
    assertThat(target.ledgerCheck()).isEqualTo(target.write());

    TrafficTarget pinned = target.pinnedTo("pg-2");
    assertThat(pinned.write()).isEqualTo(new TrafficTarget.Endpoint("127.0.0.22", 5432));
    assertThat(pinned.read()).isEqualTo(pinned.write());
    // Writes go straight to pg-2; the ledger is still looked up on the primary, through HAProxy.
    assertThat(pinned.ledgerCheck()).isEqualTo(new TrafficTarget.Endpoint("127.0.0.1", 5000));
    assertThatThrownBy(() -> target.pinnedTo("pg-9")).hasMessageStartingWith("no member named pg-9");
  }

  @Test
  void aWorkDirWithoutClusterNamesTheFile() {
    assertThatThrownBy(() -> TrafficTarget.of(workdir, "postgres"))
        .hasMessageStartingWith(workdir.resolve("cluster.json") + ": not found");
  }
}
