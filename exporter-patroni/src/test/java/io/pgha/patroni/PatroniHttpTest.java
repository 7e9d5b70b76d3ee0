package io.pgha.patroni;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.patroni.api.UnexpectedResponseException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PatroniHttp} against a bare socket server that answers as each test needs: the request it
 * sends, answers by length and by closing, and every way an exchange can fail.
 */
class PatroniHttpTest {
  private Vertx vertx;
  private PatroniHttp http;
  private ServerSocket server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();

  /** What the server does with a connection once it has read the request's head. */
  private interface Answerer {
    void answer(Socket socket) throws IOException;
  }

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    http = new PatroniHttp(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      server.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private URI serve(InetAddress address, Answerer answerer) throws IOException {
    server = new ServerSocket(0, 50, address);
    Thread accept = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          connections.incrementAndGet();
          BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
          StringBuilder head = new StringBuilder();
          for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            head.append(line).append('\n');
          }
          requests.add(head.toString());
          answerer.answer(s);
        } catch (IOException e) {
          // closed by the test
        }
      }
    }, "patroni-http-test-server");
    accept.setDaemon(true);
    accept.start();
    String host = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    return URI.create("http://" + host + ":" + server.getLocalPort());
  }

  private URI serve(Answerer answerer) throws IOException {
    return serve(InetAddress.getLoopbackAddress(), answerer);
  }

  private static Answerer writes(String answer) {
    return s -> {
      OutputStream out = s.getOutputStream();
      out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    };
  }

  private Future<PatroniHttp.Answer> get(URI server, long timeoutMillis) {
    return http.get(server, "/patroni", Map.of("Accept", "application/json", "User-Agent", "test"), timeoutMillis,
        null, false);
  }

  private static Throwable failure(Future<?> f) throws Exception {
    try {
      f.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("succeeded: " + f.result());
  }

  @Test
  void sendsOneGetWithHostAndCloseOnAConnectionOfItsOwnAndReadsTheAnswerByLength() throws Exception {
    URI url = serve(writes("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"a\": \"b\"}\r\nignored"));
    for (int i = 0; i < 2; i++) {
      PatroniHttp.Answer answer = get(url, 5000).await(10, TimeUnit.SECONDS);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\": \"b\"}\r\n");
    }
    assertThat(connections.get()).isEqualTo(2);
    assertThat(requests.get(0)).startsWith("GET /patroni HTTP/1.1\n")
        .contains("host: 127.0.0.1:" + url.getPort() + "\n")
        .contains("connection: close\n")
        .contains("Accept: application/json\n")
        .contains("User-Agent: test\n");
  }

  @Test
  void anAnswerWithoutLengthIsReadUntilTheServerCloses() throws Exception {
    String body = "{\"state\": \"running\"}".repeat(2000);
    URI url = serve(writes("HTTP/1.0 503 Service Unavailable\r\nContent-Type: application/json\r\n\r\n" + body));
    PatroniHttp.Answer answer = get(url, 5000).await(10, TimeUnit.SECONDS);
    assertThat(answer.status()).isEqualTo(503);
    assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(body);
  }

  @Test
  void anIpv6LiteralIsConnectedToWithoutBrackets() throws Exception {
    URI url = serve(InetAddress.getByName("::1"), writes("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}"));
    assertThat(url.getHost()).isEqualTo("[0:0:0:0:0:0:0:1]");
    assertThat(get(url, 5000).await(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(requests.get(0)).contains("host: [0:0:0:0:0:0:0:1]:" + url.getPort() + "\n");
  }

  @Test
  void bytesThatAreNotHttpFailAsAnUnexpectedAnswer() throws Exception {
    URI url = serve(writes("\u0000\u0001garbage that is not HTTP\r\n\r\n"));
    Throwable e = failure(get(url, 5000));
    assertThat(e).isInstanceOf(UnexpectedResponseException.class).hasMessageStartingWith("/patroni: not an HTTP answer");
  }

  @Test
  void aServerClosingBeforeAnsweringFails() throws Exception {
    URI url = serve(s -> { });
    Throwable e = failure(get(url, 5000));
    assertThat(e).isInstanceOf(IOException.class).hasMessage("/patroni: the connection closed before the answer");
  }

  @Test
  void anAnswerCutShortOfItsLengthFails() throws Exception {
    URI url = serve(writes("HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\n{\"half"));
    Throwable e = failure(get(url, 5000));
    assertThat(e).isInstanceOf(IOException.class).hasMessage("/patroni: the connection closed before the whole answer");
  }

  @Test
  void anAnswerLongerThanTheLimitFails() throws Exception {
    URI url = serve(writes("HTTP/1.0 200 OK\r\nContent-Length: " + (PatroniHttp.MAX_BODY + 1) + "\r\n\r\n{"));
    Throwable e = failure(get(url, 5000));
    assertThat(e).isInstanceOf(UnexpectedResponseException.class)
        .hasMessage("/patroni: answer longer than " + PatroniHttp.MAX_BODY + " bytes");
  }

  @Test
  void aServerThatNeverAnswersFailsAtTheDeadlineAndTheConnectionIsClosed() throws Exception {
    CompletableFuture<Integer> readAfter = new CompletableFuture<>();
    URI url = serve(s -> readAfter.complete(s.getInputStream().read()));
    long t0 = System.nanoTime();
    Throwable e = failure(get(url, 300));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(e).isInstanceOf(TimeoutException.class).hasMessage("/patroni: no answer within 300 ms");
    assertThat(ms).isBetween(300L, 5000L);
    // The server's read ends because the client closed the connection (end of stream).
    assertThat(readAfter.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
  }

  @Test
  void aPortNobodyListensOnFailsToConnect() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Throwable e = failure(get(URI.create("http://127.0.0.1:" + port), 5000));
    assertThat(e).isInstanceOf(java.net.ConnectException.class);
  }
}
