package io.pgha.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server on loopback for the tests of the bench's HTTP client: every connection it accepts is
 * counted, kept (so a test can drop them) and handled on a thread of its own.
 */
final class LoopbackHttpServer implements AutoCloseable {
  /** Serves one connection; the server closes it afterwards. */
  interface Handler {
    void serve(Socket connection) throws IOException, InterruptedException;
  }

  private final ServerSocket server;
  private final Thread acceptor;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  LoopbackHttpServer(Handler handler) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          connections.incrementAndGet();
          open.add(s);
          new Thread(() -> {
            try (s) {
              handler.serve(s);
            } catch (IOException | InterruptedException e) {
              // the client sees the missing answer
            }
          }).start();
        } catch (IOException e) {
          return;
        }
      }
    });
    acceptor.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
  }

  int port() {
    return server.getLocalPort();
  }

  /** Connections accepted so far. */
  int connections() {
    return connections.get();
  }

  /** Closes every connection accepted so far, as a server does with idle ones. */
  void dropConnections() throws IOException {
    for (Socket s : open) {
      s.close();
    }
  }

  /** The request line and header lines of the next request, or null when the client closed first. */
  static List<String> readRequest(BufferedReader in) throws IOException {
    String requestLine = in.readLine();
    if (requestLine == null) {
      return null;
    }
    List<String> lines = new ArrayList<>(List.of(requestLine));
    String line;
    while ((line = in.readLine()) != null && !line.isEmpty()) {
      lines.add(line);
    }
    return lines;
  }

  @Override
  public void close() throws Exception {
    server.close();
    dropConnections();
    acceptor.join(5000);
  }
}
