package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.lab.deploy.Component;
import io.pgha.lab.deploy.PortCheck;
import io.pgha.lab.deploy.ProcFs;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * down, then up refused on a taken port, then up again from the kept data. Runs after every other
 * class (highest @Order) since it takes the cluster away for a while; it ends with the cluster up.
 */
@PghaCluster.Test
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterLifecycleIT {
  private static final List<String> COMPONENTS = List.of("etcd-1", "etcd-2", "etcd-3", "pg-1", "pg-2",
      "pg-3", "haproxy", "prometheus", "alertmanager", "receiver", "exporters");

  private static List<Component.Port> ports(Topology t) {
    List<Component.Port> ports = new ArrayList<>();
    for (Topology.EtcdMember e : t.etcd()) {
      ports.add(new Component.Port(e.host(), e.clientPort(), e.name()));
      ports.add(new Component.Port(e.host(), e.peerPort(), e.name()));
    }
    for (Topology.Member m : t.members()) {
      ports.add(new Component.Port(m.host(), m.pgPort(), m.name()));
      ports.add(new Component.Port(m.host(), m.restPort(), m.name()));
    }
    String lo = t.haproxy().host();
    for (int p : new int[] {t.haproxy().writePort(), t.haproxy().readPort(), t.haproxy().statsPort(),
        t.prometheus().port(), t.alertmanager().port(), t.exporters().patroni(),
        t.exporters().postgres(), t.exporters().etcd(), t.receiver().port()}) {
      ports.add(new Component.Port(lo, p, "service"));
    }
    return ports;
  }

  @Test
  @Order(1)
  void downLeavesNoProcessAndFreesThePorts(TestCluster cluster) throws Exception {
    cluster.awaitHealthy(Duration.ofSeconds(60));
    Set<Long> pids = new TreeSet<>();
    for (String c : COMPONENTS) {
      pids.add(cluster.pid(c).orElseThrow(() -> new AssertionError(c + " does not run")));
    }
    for (Topology.Member m : cluster.topology().members()) {
      pids.add(cluster.postmasterPid(m.name()).orElseThrow());
    }
    Map<Long, String> started = new HashMap<>();
    pids.forEach(p -> started.put(p, startTime(p)));
    assertThat(PortCheck.taken(ports(cluster.topology()))).hasSize(ports(cluster.topology()).size());

    TestCluster.CliResult down = cluster.pgha("down");
    assertThat(down.exitCode()).as(down.output()).isZero();

    // The same process, not only the same number: PIDs wrap at 32768 here, and a thread started
    // meanwhile anywhere may be given the number of a process that just exited.
    assertThat(pids.stream().filter(p -> ProcFs.alive(p) && startTime(p).equals(started.get(p))).toList())
        .as("processes left").isEmpty();
    assertThat(PortCheck.taken(ports(cluster.topology()))).as("ports left").isEmpty();
    assertThat(cluster.workdir().resolve("pg-1/data/PG_VERSION")).exists();
  }

  @Test
  @Order(2)
  void upFailsNamingAPortAlreadyTaken(TestCluster cluster) throws Exception {
    Topology.Haproxy h = cluster.topology().haproxy();
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.setReuseAddress(true);
      squatter.bind(new InetSocketAddress(h.host(), h.statsPort()));
      TestCluster.CliResult up = cluster.pgha("up");
      assertThat(up.exitCode()).isEqualTo(1);
      assertThat(up.stderr()).contains(h.host() + ":" + h.statsPort()).contains("already in use");
    }
    for (String c : COMPONENTS) {
      assertThat(cluster.pid(c)).as(c + " started despite the taken port").isEmpty();
    }
  }

  @Test
  @Order(3)
  void upAgainRestartsFromTheKeptData(TestCluster cluster) {
    TestCluster.CliResult up = cluster.pgha("up");
    assertThat(up.exitCode()).as(up.output()).isZero();
    assertThat(up.stdout()).contains("ready");
    cluster.awaitHealthy(Duration.ofSeconds(30));
  }

  /** Field 22 of /proc/PID/stat, the start time in clock ticks since boot; "" once the process is gone. */
  private static String startTime(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
    } catch (IOException e) {
      return "";
    }
  }
}
