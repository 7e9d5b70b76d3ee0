package io.pgha.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScraperTest {
  /**
   * Answers like Patroni's REST server: HTTP/1.0, closing each connection; /fail with 503, and any
   * request with 503 when {@link #allArrived} is not counted down within 3 s of its arrival.
   */
  private LoopbackHttpServer server;
  private final Map<String, String> requestLines = new ConcurrentHashMap<>();
  private volatile CountDownLatch allArrived = new CountDownLatch(0);

  @BeforeEach
  void start() throws IOException {
    server = new LoopbackHttpServer(this::answer);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private void answer(Socket s) throws IOException, InterruptedException {
    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    String requestLine = LoopbackHttpServer.readRequest(in).get(0);
    String path = requestLine.split(" ")[1];
    requestLines.put(path, requestLine);
    allArrived.countDown();
    // A request answered before the others of its round arrived gets 503.
    boolean fail = path.equals("/fail") || !allArrived.await(3, TimeUnit.SECONDS);
    String body = "{\"path\": \"" + path + "\"}";
    OutputStream out = s.getOutputStream();
    out.write(("HTTP/1.0 " + (fail ? "503 Service Unavailable" : "200 OK") + "\r\nContent-Type: application/json\r\n\r\n"
        + body).getBytes(StandardCharsets.US_ASCII));
  }

  private URI url(String path) {
    return server.url(path);
  }

  @Test
  void theRequestsOfARoundAreSentAtOnceAndItEndsWithTheLastAnswer() {
    allArrived = new CountDownLatch(3);
    Scraper.Fetched f = new Scraper().fetchTogether(List.of(url("/cluster"), url("/config"), url("/patroni")));
    // Each answer waits until all three requests have arrived: sent one after another, the first would get 503.
    assertThat(f.ok()).as(f.body()).isTrue();
    assertThat(f.body()).isEqualTo("{\"path\": \"/patroni\"}");
    assertThat(requestLines).containsEntry("/cluster", "GET /cluster HTTP/1.1").containsEntry("/config", "GET /config HTTP/1.1")
        .containsEntry("/patroni", "GET /patroni HTTP/1.1");
  }

  @Test
  void aRoundIsNotOkWhenOneAnswerIsNot() {
    Scraper.Fetched f = new Scraper().fetchTogether(List.of(url("/cluster"), url("/fail"), url("/patroni")));
    assertThat(f.status()).isEqualTo(503);
    assertThat(f.ok()).isFalse();
  }

  @Test
  void aRoundWithAnUnreachableMemberIsNotOk() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Scraper.Fetched f = new Scraper().fetchTogether(List.of(url("/cluster"), URI.create("http://127.0.0.1:" + closed + "/patroni")));
    assertThat(f.status()).isZero();
    assertThat(f.body()).contains("Connection refused");
  }
}
