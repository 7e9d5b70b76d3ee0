package io.pgha.lab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What pgha reads of iptables, ss and /proc: recorded outputs of this machine's tools. */
class NetToolsOutputTest {

  @Test
  void findsTheJumpsToTheChainInOutput() {
    String listing = """
        Chain OUTPUT (policy ACCEPT)
        num  target     prot opt source               destination
        1    pgha-22500  all  --  0.0.0.0/0            0.0.0.0/0            /* pgha /tmp/pgha-it */
        2    CNI-HOSTPORT-DNAT  all  --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type LOCAL
        3    pgha-12250  all  --  0.0.0.0/0            0.0.0.0/0            /* pgha /tmp/other */
        4    pgha-22500  all  --  0.0.0.0/0            0.0.0.0/0
        """;
    assertThat(FaultChain.jumpLines(listing, "pgha-22500")).containsExactly(1, 4);
    assertThat(FaultChain.jumpLines(listing, "pgha-2250")).isEmpty();
  }

  @Test
  void readsTheClientEndsOfEstablishedConnections() {
    String ss = """
        0      0      127.0.0.1:43690 127.0.0.21:17432
        0      0             127.0.0.1:58208          127.0.0.11:14629
        """;
    assertThat(Sockets.clientEnds(ss)).containsExactly(new Endpoint("127.0.0.1", 43690),
        new Endpoint("127.0.0.1", 58208));
    assertThat(Sockets.clientEnds("")).isEmpty();
  }

  @Test
  void findsTheCgroup2MountInHybridAndUnifiedLayouts() {
    List<String> hybrid = List.of("tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0",
        "cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0",
        "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0");
    assertThat(HostCgroups.cgroup2Mount(hybrid)).contains(Path.of("/sys/fs/cgroup/unified"));
    assertThat(HostCgroups.cgroup2Mount(List.of("cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid 0 0")))
        .contains(Path.of("/sys/fs/cgroup"));
    assertThat(HostCgroups.cgroup2Mount(List.of("proc /proc proc rw 0 0"))).isEmpty();
  }

  @Test
  void aProcessIsInAGroupByItsUnifiedLine() {
    List<String> procCgroup = List.of("9:name=systemd:/", "4:memory:/process_api/181b", "0::/pgha-12250/pg-1");
    assertThat(HostCgroups.inGroup(procCgroup, "/pgha-12250/pg-1")).isTrue();
    assertThat(HostCgroups.inGroup(procCgroup, "/pgha-12250/pg-2")).isFalse();
    assertThat(HostCgroups.inGroup(List.of("0::/pgha-12250/pg-10"), "/pgha-12250/pg-1")).isFalse();
  }

  @Test
  void aHostStartsInItsGroupThroughAShellThatExecs() throws Exception {
    HostCgroups groups = new HostCgroups(Path.of("target/fake-cgroup2"), "pgha-22500");
    assertThat(groups.path("pg-1")).isEqualTo("pgha-22500/pg-1");
    assertThat(groups.absolutePath("pg-1")).isEqualTo("/pgha-22500/pg-1");
    assertThat(groups.prefix("pg-1")).containsExactly("sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
        Path.of("target/fake-cgroup2/pgha-22500/pg-1/cgroup.procs").toString());
    assertThat(groups.removeEmpty()).containsExactly("pgha-22500/pg-1", "pgha-22500");
  }
}
