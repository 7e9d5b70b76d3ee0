package io.pgha.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpConnectionTest {
  private LoopbackHttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  /**
   * HTTP/1.1 with keep-alive, answering by path: /length (Content-Length), /chunked (two chunks and
   * a trailer), /close (Connection: close), /old (HTTP/1.0, no length, closed), /hangup (closes
   * without an answer).
   */
  @BeforeEach
  void start() throws IOException {
    server = new LoopbackHttpServer(this::serve);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private void serve(Socket s) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
    OutputStream out = s.getOutputStream();
    List<String> request;
    while ((request = LoopbackHttpServer.readRequest(in)) != null) {
      requests.add(String.join("\n", request));
      String path = request.get(0).split(" ")[1].split("\\?")[0];
      String answer = switch (path) {
        case "/length" -> "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world";
        case "/chunked" -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello \r\n5;x=y\r\nworld\r\n0\r\nX-T: 1\r\n\r\n";
        case "/close" -> "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 4\r\n\r\nbusy";
        case "/old" -> "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"ü\": 1}";
        default -> null;
      };
      if (answer == null) {
        return;
      }
      out.write(answer.getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (path.equals("/close") || path.equals("/old")) {
        return;
      }
    }
  }

  private URI url(String path) {
    return server.url(path);
  }

  @Test
  void keepsTheConnectionAliveAndReadsBodiesByLengthOrChunks() throws IOException {
    try (HttpConnection c = new HttpConnection(Duration.ofSeconds(5))) {
      assertThat(c.get(url("/length"), Map.of("Accept", "text/plain"))).isEqualTo(new HttpConnection.Answer(200, "hello world"));
      assertThat(c.get(url("/chunked"), Map.of())).isEqualTo(new HttpConnection.Answer(200, "hello world"));
      assertThat(c.get(url("/length?a=1"), Map.of())).isEqualTo(new HttpConnection.Answer(200, "hello world"));
    }
    assertThat(server.connections()).isEqualTo(1);
    assertThat(requests).hasSize(3);
    assertThat(requests.get(0)).isEqualTo("GET /length HTTP/1.1\nHost: 127.0.0.1:" + server.port()
        + "\nAccept: text/plain");
    assertThat(requests.get(2)).startsWith("GET /length?a=1 HTTP/1.1\n");
  }

  @Test
  void acknowledgingAtOnceChangesNothingInTheAnswer() throws IOException {
    try (HttpConnection c = new HttpConnection(Duration.ofSeconds(5), true)) {
      assertThat(c.get(url("/old"), Map.of())).isEqualTo(new HttpConnection.Answer(200, "{\"ü\": 1}"));
      assertThat(c.get(url("/chunked"), Map.of())).isEqualTo(new HttpConnection.Answer(200, "hello world"));
    }
  }

  @Test
  void opensANewConnectionAfterTheServerClosedOne() throws IOException {
    try (HttpConnection c = new HttpConnection(Duration.ofSeconds(5))) {
      assertThat(c.get(url("/close"), Map.of())).isEqualTo(new HttpConnection.Answer(503, "busy"));
      assertThat(c.get(url("/old"), Map.of())).isEqualTo(new HttpConnection.Answer(200, "{\"ü\": 1}"));
      assertThat(c.get(url("/length"), Map.of()).body()).isEqualTo("hello world");
      // The server drops the kept connection while idle: the request goes again on a new one.
      server.dropConnections();
      assertThat(c.get(url("/length"), Map.of()).body()).isEqualTo("hello world");
      // One that closes without answering: once more on a new connection, then it fails.
      assertThatThrownBy(() -> c.get(url("/hangup"), Map.of())).isInstanceOf(IOException.class)
          .hasMessageContaining("connection closed before an answer");
    }
    // /close, /old, /length, /length again after the drop, /hangup's retry.
    assertThat(server.connections()).isEqualTo(5);
  }
}
