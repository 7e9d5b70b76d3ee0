package io.pgha.lab.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.testkit.Recorded;
import io.pgha.lab.client.HaproxyStats.ServerState;
import java.util.List;
import org.junit.jupiter.api.Test;

class HaproxyStatsTest {

  @Test
  void keepsServerRowsOnlyWithTheirStatus() {
    List<ServerState> servers = HaproxyStats.parse(Recorded.text("haproxy-stats.csv"));
    assertThat(servers).containsExactly(
        new ServerState("write", "pg-1", "DOWN"),
        new ServerState("write", "pg-2", "UP"),
        new ServerState("write", "pg-3", "DOWN"),
        new ServerState("read", "pg-1", "UP"),
        new ServerState("read", "pg-2", "DOWN"),
        new ServerState("read", "pg-3", "UP"));
    assertThat(HaproxyStats.upIn(servers, "write")).extracting(ServerState::server).containsExactly("pg-2");
    assertThat(HaproxyStats.upIn(servers, "read")).extracting(ServerState::server)
        .containsExactly("pg-1", "pg-3");
  }

  @Test
  void aStoppedReplicaIsDownInBothBackends() {
    List<ServerState> servers = HaproxyStats.parse(Recorded.text("haproxy-stats-replica-down.csv"));
    assertThat(HaproxyStats.upIn(servers, "read")).extracting(ServerState::server).containsExactly("pg-1");
  }

  @Test
  void garbageGivesNoServers() {
    assertThat(HaproxyStats.parse("")).isEmpty();
    assertThat(HaproxyStats.parse("<html>503 Service Unavailable</html>")).isEmpty();
    assertThat(HaproxyStats.parse("# a,b,c\n1,2,3\n")).isEmpty();
  }
}
