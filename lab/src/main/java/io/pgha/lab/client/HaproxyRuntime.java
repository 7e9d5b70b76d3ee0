package io.pgha.lab.client;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * HAProxy's runtime API over its stats socket ({@code stats socket ... level admin}): force a
 * server's state or switch its health check off and on, as an operator (or a fault) would. One
 * command per connection; HAProxy answers and closes.
 */
public final class HaproxyRuntime {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Path socket;

  public HaproxyRuntime(Path socket) {
    this.socket = socket;
  }

  /**
   * Marks a server UP whatever its health check would say, as an operator who switched its check
   * off would: {@code disable health B/S} (the checks stop and the server keeps its last state,
   * shown as "no check"), then {@code set server B/S health up}.
   */
  public void forceUp(String backend, String server) throws IOException {
    expectSilence("disable health " + backend + "/" + server);
    expectSilence("set server " + backend + "/" + server + " health up");
  }

  /** {@code enable health B/S}: the checks run again and decide the server's state. */
  public void enableHealth(String backend, String server) throws IOException {
    expectSilence("enable health " + backend + "/" + server);
  }

  /** {@code set server B/S state ready|drain|maint}. */
  public void setState(String backend, String server, String state) throws IOException {
    expectSilence("set server " + backend + "/" + server + " state " + state.toLowerCase(Locale.ROOT));
  }

  /** Runs one command and returns HAProxy's answer. */
  public String execute(String command) throws IOException {
    if (command.contains("\n")) {
      throw new IllegalArgumentException("one command, no newline: " + command);
    }
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
      while (out.hasRemaining()) {
        ch.write(out);
      }
      ch.configureBlocking(false);
      StringBuilder answer = new StringBuilder();
      ByteBuffer in = ByteBuffer.allocate(8192);
      try (Selector selector = Selector.open()) {
        ch.register(selector, SelectionKey.OP_READ);
        while (true) {
          long left = (deadline - System.nanoTime()) / 1_000_000L;
          if (left <= 0) {
            throw new IOException("HAProxy at " + socket + " did not finish answering \"" + command + "\" within " + TIMEOUT);
          }
          selector.select(left);
          int n = ch.read(in);
          if (n < 0) {
            return answer.toString();
          }
          in.flip();
          answer.append(StandardCharsets.UTF_8.decode(in));
          in.clear();
          selector.selectedKeys().clear();
        }
      }
    }
  }

  /** State-changing commands answer nothing (an empty line) when they worked. */
  private void expectSilence(String command) throws IOException {
    String answer = execute(command).strip();
    if (!answer.isEmpty()) {
      throw new IOException("HAProxy refused \"" + command + "\": " + answer);
    }
  }
}
