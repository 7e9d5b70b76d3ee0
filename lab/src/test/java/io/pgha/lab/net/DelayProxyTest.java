package io.pgha.lab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The relay on real loopback sockets: bytes arrive whole and in order, each way at least the delay later. */
class DelayProxyTest {

  @Test
  void eachWayTakesAtLeastTheDelay() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        try (Socket s = echo.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
          in.transferTo(out);
        } catch (Exception ignored) {
          // the test ends the connection
        }
      });
      server.setDaemon(true);
      server.start();
      Endpoint upstream = new Endpoint("127.0.0.1", echo.getLocalPort());
      try (DelayProxy proxy = DelayProxy.start(upstream, Duration.ofMillis(150));
           Socket client = new Socket(proxy.listening().host(), proxy.listening().port())) {
        byte[] message = "a request to etcd".repeat(1000).getBytes();
        long start = System.nanoTime();
        client.getOutputStream().write(message);
        client.shutdownOutput();
        byte[] back = client.getInputStream().readAllBytes();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(back).isEqualTo(message);
        // There and back: two delays, no upper bound asserted (a busy machine may be slower).
        assertThat(tookMillis).isGreaterThanOrEqualTo(300);
        assertThat(proxy.connections()).isEqualTo(1);
        assertThat(proxy.upstream()).isEqualTo(upstream);
      }
    }
  }
}
