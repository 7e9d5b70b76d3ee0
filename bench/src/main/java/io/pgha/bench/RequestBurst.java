package io.pgha.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;

/**
 * Many GET requests sent at once from one thread, each on a connection of its own, as exporter-patroni
 * asks a site's Patroni members (Patroni closes every connection after its answer): every connection is
 * opened at once (non-blocking connects), one selector writes the requests and reads each answer to its
 * end, and nothing is done with the answers. A round's time is what waiting for those requests costs at
 * least, without {@link Scraper#fetchTogether}'s thread and blocking socket per request (fine for 5
 * requests, not for 500).
 *
 * <p>An answer ends at its {@code Content-Length}, or where the server closes the connection when it
 * gives none. Chunked answers are not read (Patroni and the simulated members never send them): one
 * counts as a failure that says so. Plain HTTP only: an https URL is refused before anything is opened.
 * A deadline bounds a round; every connection is closed when it returns, whatever happened.
 */
final class RequestBurst {
  static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(3);

  /**
   * One round: its wall time from the first connect to the last answer (or the deadline), the
   * requests, how many were answered whole (any status) and with 200, the answers' body bytes, and the
   * first failure (by time) with its URL.
   */
  record Round(long nanos, int requests, int answered, int ok, long bytes, Optional<String> firstFailure) {
    boolean allOk() {
      return ok == requests;
    }
  }

  private final Duration deadline;
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);

  RequestBurst(Duration deadline) {
    this.deadline = deadline;
  }

  /** Sends {@code GET} to every URL at once and waits for every answer, at most the deadline. */
  Round send(List<URI> urls) throws IOException {
    List<Exchange> exchanges = new ArrayList<>();
    for (URI url : urls) {
      exchanges.add(new Exchange(url));
    }
    long t0 = System.nanoTime();
    long end = t0 + deadline.toNanos();
    try (Selector selector = Selector.open()) {
      int pending = 0;
      for (Exchange x : exchanges) {
        x.open(selector);
        pending += x.finished() ? 0 : 1;
      }
      while (pending > 0) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          break;
        }
        // select(0) would wait for ever: round up.
        selector.select((left + 999_999) / 1_000_000);
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
          SelectionKey key = it.next();
          it.remove();
          Exchange x = (Exchange) key.attachment();
          x.step(key, readBuffer);
          pending -= x.finished() ? 1 : 0;
        }
      }
      long nanos = System.nanoTime() - t0;
      for (Exchange x : exchanges) {
        if (!x.finished()) {
          x.fail("no answer within " + deadline.toMillis() + " ms (" + x.stage() + ")");
        }
      }
      return new Round(nanos, exchanges.size(), (int) exchanges.stream().filter(x -> x.answered).count(),
          (int) exchanges.stream().filter(x -> x.answered && x.status == 200).count(),
          exchanges.stream().mapToLong(x -> x.bodyBytes).sum(),
          exchanges.stream().filter(x -> x.failure != null).min(Comparator.comparingLong(x -> x.failedAt))
              .map(x -> x.url + ": " + x.failure));
    } finally {
      exchanges.forEach(Exchange::close);
    }
  }

  /** One request on its own connection, from the connect to the answer's last byte; confined to send's thread. */
  private static final class Exchange {
    private final URI url;
    private final InetSocketAddress address;
    private final ByteBuffer request;
    private final ByteArrayOutputStream answer = new ByteArrayOutputStream(2048);
    private SocketChannel channel;
    private boolean done;
    /** The whole answer was read (whatever its status). */
    private boolean answered;
    private String failure;
    private long failedAt;
    /** 0 until the head of the answer is read. */
    private int status;
    private int headLength;
    private long contentLength = -1;
    private long bodyBytes;

    Exchange(URI url) {
      if (!"http".equals(url.getScheme())) {
        throw new IllegalArgumentException("RequestBurst speaks plain HTTP only, not " + url.getScheme() + ": " + url);
      }
      if (url.getHost() == null) {
        throw new IllegalArgumentException("no host in " + url);
      }
      this.url = url;
      this.address = new InetSocketAddress(url.getHost(), url.getPort() > 0 ? url.getPort() : 80);
      String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
      if (url.getRawQuery() != null) {
        path += "?" + url.getRawQuery();
      }
      request = ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: " + url.getRawAuthority()
          + "\r\nUser-Agent: pgha-bench\r\nAccept: application/json\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
    }

    boolean finished() {
      return done;
    }

    /** How far an unfinished exchange got, for the failure's message. */
    String stage() {
      if (channel == null || channel.isConnectionPending()) {
        return "not connected";
      }
      if (request.hasRemaining()) {
        return "request " + request.position() + " of " + request.limit() + " bytes sent";
      }
      return answer.size() == 0 ? "request sent, nothing read" : answer.size() + " bytes read";
    }

    void open(Selector selector) {
      try {
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        boolean connected = channel.connect(address);
        channel.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, this);
      } catch (IOException | RuntimeException e) {
        fail("connect: " + e);
      }
    }

    void step(SelectionKey key, ByteBuffer buffer) {
      try {
        if (key.isConnectable() && channel.finishConnect()) {
          key.interestOps(SelectionKey.OP_WRITE);
        } else if (key.isWritable()) {
          channel.write(request);
          if (!request.hasRemaining()) {
            key.interestOps(SelectionKey.OP_READ);
            quickAck();
          }
        } else if (key.isReadable()) {
          read(buffer);
        }
      } catch (IOException | RuntimeException e) {
        fail(e.toString());
      }
    }

    /** As exporter-patroni: the answer is acknowledged at once, not after the kernel's delay. */
    private void quickAck() {
      try {
        channel.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
      } catch (UnsupportedOperationException | IOException e) {
        // not Linux: the answer may just come later
      }
    }

    private void read(ByteBuffer buffer) throws IOException {
      int n;
      while ((n = channel.read(buffer.clear())) > 0) {
        buffer.flip();
        byte[] bytes = new byte[n];
        buffer.get(bytes);
        answer.write(bytes, 0, n);
        if (status == 0 && !head()) {
          if (done) {
            return;
          }
          continue;
        }
        if (status > 0) {
          bodyBytes = answer.size() - headLength;
          if (contentLength >= 0 && bodyBytes >= contentLength) {
            complete();
            return;
          }
        }
      }
      if (n < 0) {
        if (status == 0) {
          fail("closed before a whole answer head (" + answer.size() + " bytes)");
        } else if (contentLength >= 0) {
          fail("closed " + (contentLength - bodyBytes) + " bytes before the end of the body");
        } else {
          complete();
        }
      }
    }

    /** Parses the answer's head once it is whole; false while it is not (or the answer failed). */
    private boolean head() {
      byte[] bytes = answer.toByteArray();
      int end = -1;
      for (int i = 3; i < bytes.length; i++) {
        if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
          end = i + 1;
          break;
        }
      }
      if (end < 0) {
        return false;
      }
      String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
      String[] statusLine = lines[0].split(" ", 3);
      if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
        fail("not HTTP: " + lines[0]);
        return false;
      }
      int code = Integer.parseInt(statusLine[1]);
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = lines[i].substring(colon + 1).strip();
        if (name.equals("content-length")) {
          contentLength = Long.parseLong(value);
        } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
          fail("a chunked answer (HTTP " + code + "), which RequestBurst does not read");
          return false;
        }
      }
      status = code;
      headLength = end;
      return true;
    }

    private void complete() {
      done = true;
      answered = true;
      close();
      if (status != 200) {
        failure = "HTTP " + status;
        failedAt = System.nanoTime();
      }
    }

    void fail(String why) {
      if (failure == null) {
        failure = why;
        failedAt = System.nanoTime();
      }
      done = true;
      close();
    }

    void close() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }
}
