package io.pgha.lab.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortCheckTest {

  @Test
  void aListeningPortIsTakenAndFreeAfterwards() throws Exception {
    Component.Port p;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      p = new Component.Port("127.0.0.1", s.getLocalPort(), "probe");
      assertThat(PortCheck.taken(List.of(p))).containsExactly(p);
      assertThat(p.toString()).isEqualTo("127.0.0.1:" + s.getLocalPort() + " (probe)");
    }
    assertThat(PortCheck.free(p)).isTrue();
  }
}
