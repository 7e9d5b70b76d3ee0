package io.pgha.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestBurstTest {
  private LoopbackHttpServer server;
  private final Map<String, List<String>> requests = new ConcurrentHashMap<>();
  /** Every request waits for this before its answer: 503 when it is not counted down within 3 s. */
  private volatile CountDownLatch allArrived = new CountDownLatch(0);
  /** Counted down when a connection the server never answered is closed by the client. */
  private final CountDownLatch unansweredClosed = new CountDownLatch(1);

  /**
   * Answers by path: /length (Content-Length, the connection kept open after it, so only the length
   * ends the answer), /close (no length, HTTP/1.0, closed), /fail (503), /chunked (chunks), /silent
   * (never answers, waits for the client to close).
   */
  @BeforeEach
  void start() throws IOException {
    server = new LoopbackHttpServer(this::serve);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private void serve(Socket s) throws IOException, InterruptedException {
    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
    List<String> request = LoopbackHttpServer.readRequest(in);
    if (request == null) {
      return;
    }
    String path = request.get(0).split(" ")[1];
    requests.put(path, request);
    allArrived.countDown();
    boolean all = allArrived.await(3, TimeUnit.SECONDS);
    String body = "{\"path\": \"" + path + "\"}";
    String answer = switch (path.replaceAll("[0-9]+$", "")) {
      case "/length" -> "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
          + "\r\n\r\n" + body;
      case "/close" -> "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + body;
      case "/chunked" -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
      case "/silent" -> null;
      default -> "HTTP/1.0 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy";
    };
    if (!all) {
      answer = "HTTP/1.0 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nlate";
    }
    if (answer != null) {
      OutputStream out = s.getOutputStream();
      out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      if (!path.startsWith("/length")) {
        return;
      }
    }
    // Kept open until the client closes (or 10 s): an answer that ends only here is not read by its length.
    s.setSoTimeout(10_000);
    if (s.getInputStream().read() < 0 && answer == null) {
      unansweredClosed.countDown();
    }
  }

  private static RequestBurst burst() {
    return new RequestBurst(Duration.ofSeconds(5));
  }

  @Test
  void readsAnswersByTheirLengthOrToTheCloseAndSendsWhatExporterPatroniSends() throws IOException {
    RequestBurst.Round r = burst().send(List.of(server.url("/length"), server.url("/close")));
    assertThat(r.firstFailure()).isEmpty();
    assertThat(r.requests()).isEqualTo(2);
    assertThat(r.answered()).isEqualTo(2);
    assertThat(r.ok()).isEqualTo(2);
    assertThat(r.allOk()).isTrue();
    assertThat(r.bytes()).isEqualTo("{\"path\": \"/length\"}".length() + "{\"path\": \"/close\"}".length());
    assertThat(r.nanos()).as("the answer by length ends at its length, not at the server's close")
        .isLessThan(Duration.ofSeconds(4).toNanos());
    assertThat(requests.get("/length")).containsExactly("GET /length HTTP/1.1", "Host: 127.0.0.1:" + server.port(),
        "User-Agent: pgha-bench", "Accept: application/json", "Connection: close");
  }

  @Test
  void theRequestsAreSentAtOnce() throws IOException {
    int n = 40;
    allArrived = new CountDownLatch(n);
    List<URI> urls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      urls.add(server.url("/length" + i));
    }
    // Each answer waits until all the requests have arrived: sent one after another, the first would get 503.
    RequestBurst.Round r = burst().send(urls);
    assertThat(r.firstFailure()).isEmpty();
    assertThat(r.ok()).isEqualTo(n);
    assertThat(server.connections()).isEqualTo(n);
    assertThat(requests).hasSize(n);
  }

  @Test
  void theServerOfTheTestAboveTellsRequestsSentOneAfterAnother() throws IOException {
    allArrived = new CountDownLatch(2);
    RequestBurst burst = burst();
    RequestBurst.Round first = burst.send(List.of(server.url("/length1")));
    RequestBurst.Round second = burst.send(List.of(server.url("/length2")));
    assertThat(first.ok()).isZero();
    assertThat(first.answered()).isOne();
    assertThat(first.firstFailure()).hasValue(server.url("/length1") + ": HTTP 503");
    assertThat(second.allOk()).isTrue();
  }

  @Test
  void aRefusedConnectionAndA503AreFailures() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    URI refused = URI.create("http://127.0.0.1:" + closed + "/patroni");
    RequestBurst.Round r = burst().send(List.of(server.url("/length"), refused));
    assertThat(r.answered()).isOne();
    assertThat(r.ok()).isOne();
    assertThat(r.allOk()).isFalse();
    assertThat(r.firstFailure()).hasValueSatisfying(f -> assertThat(f).startsWith(refused + ": ")
        .contains("Connection refused"));

    RequestBurst.Round busy = burst().send(List.of(server.url("/length"), server.url("/fail")));
    assertThat(busy.answered()).isEqualTo(2);
    assertThat(busy.ok()).isOne();
    assertThat(busy.firstFailure()).hasValue(server.url("/fail") + ": HTTP 503");
  }

  @Test
  void aChunkedAnswerFailsSayingSo() throws IOException {
    RequestBurst.Round r = burst().send(List.of(server.url("/chunked")));
    assertThat(r.ok()).isZero();
    assertThat(r.answered()).isZero();
    assertThat(r.firstFailure()).hasValue(server.url("/chunked")
        + ": a chunked answer (HTTP 200), which RequestBurst does not read");
  }

  @Test
  void theDeadlineEndsARoundAServerNeverAnswersAndItsConnectionIsClosed() throws Exception {
    long t0 = System.nanoTime();
    RequestBurst.Round r = new RequestBurst(Duration.ofMillis(300)).send(List.of(server.url("/length"),
        server.url("/silent")));
    long took = System.nanoTime() - t0;
    assertThat(took).isBetween(Duration.ofMillis(300).toNanos(), Duration.ofSeconds(3).toNanos());
    assertThat(r.nanos()).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
    assertThat(r.ok()).isOne();
    assertThat(r.firstFailure()).hasValue(server.url("/silent") + ": no answer within 300 ms (request sent, nothing read)");
    assertThat(unansweredClosed.await(3, TimeUnit.SECONDS)).as("the client closed the unanswered connection").isTrue();
  }

  @Test
  void refusesHttps() {
    assertThatThrownBy(() -> burst().send(List.of(server.url("/length"), URI.create("https://127.0.0.1:8008/patroni"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("RequestBurst speaks plain HTTP only, not https: https://127.0.0.1:8008/patroni");
    assertThat(server.connections()).isZero();
  }
}
