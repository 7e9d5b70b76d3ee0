package io.pgha.lab.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HttpTest {

  /** Accepts connections and never says a word: a TLS handshake that does not end, a request without answer. */
  private static final class Mute implements AutoCloseable {
    final ServerSocket server;
    final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> held = new ArrayList<>();
    private final Thread acceptor;

    Mute() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            Socket s = server.accept();
            synchronized (held) {
              held.add(s);
            }
            accepted.incrementAndGet();
          } catch (IOException e) {
            return;
          }
        }
      }, "mute-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String url(String scheme) {
      return scheme + "://127.0.0.1:" + server.getLocalPort() + "/";
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (held) {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  @Test
  void aHandshakeGetsTheWholeRequestBudgetAndMissingItIsToldAsSuch() throws Exception {
    try (Mute mute = new Mute()) {
      long t0 = System.nanoTime();
      Http.Response r = new Http(Duration.ofMillis(2500)).get(mute.url("https"));
      assertThat(r.status()).isZero();
      assertThat(r.body()).isEqualTo("no connection within 2500 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("waited for the handshake").isGreaterThanOrEqualTo(Duration.ofMillis(2500));
      assertThat(mute.accepted.get()).as("connections made").isEqualTo(1);
    }
  }

  @Test
  void aPlainRequestWithoutAnswerIsToldAsSuchAndNotRepeated() throws Exception {
    try (Mute mute = new Mute()) {
      Http.Response r = new Http(Duration.ofMillis(1500)).get(mute.url("http"));
      assertThat(r.status()).isZero();
      assertThat(r.body()).isEqualTo("no answer within 1500 ms");
      assertThat(mute.accepted.get()).as("connections made").isEqualTo(1);
    }
  }
}
