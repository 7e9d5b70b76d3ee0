package io.pgha.bench;

import io.pgha.lab.client.ClusterTls;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import jdk.net.ExtendedSocketOptions;

/**
 * One scraper's HTTP/1.1 connection, kept alive while the server allows it, as lean as a client gets
 * (a blocking socket, the request written whole, the answer read by its length or its chunks). The
 * bench times scrapes with it, not with the JDK's HTTP client, which hands every exchange to a
 * selector thread of its own: on the 2-core machine that client measured a round of exporter-patroni's
 * five requests at 6.3 ms where this one measures 3-4 ms, and exporter-postgres under 16 scrapers at a
 * median of 9.1 ms where this one measures 6.9 ms (curl 3.9 ms). Not thread safe: one per scraper.
 */
final class HttpConnection implements Closeable {
  /** What one exchange gave: the status and the body. */
  record Answer(int status, String body) {}

  private final Duration timeout;
  private final boolean quickAck;
  private Socket socket;
  private String server;
  private InputStream in;
  private OutputStream out;

  HttpConnection(Duration timeout) {
    this(timeout, false);
  }

  /**
   * With {@code quickAck}, the answer is acknowledged at once (Linux's TCP_QUICKACK, set once the
   * request is sent), as exporter-patroni does: Patroni's HTTPS answers otherwise wait for the
   * kernel's delayed acknowledgement (see exporter-patroni's QuickAck). Prometheus does not, so
   * scrapes are timed without it.
   */
  HttpConnection(Duration timeout, boolean quickAck) {
    this.timeout = timeout;
    this.quickAck = quickAck;
  }

  /** {@code GET url} with {@code headers}; a connection the server closed meanwhile is opened again once. */
  Answer get(URI url, Map<String, String> headers) throws IOException {
    boolean reused = socket != null && origin(url).equals(server);
    if (!reused) {
      open(url);
    }
    try {
      return exchange(url, headers);
    } catch (IOException e) {
      close();
      if (!reused || e instanceof SocketTimeoutException) {
        throw e;
      }
      // The server closed the kept connection while it was idle (its keep-alive timeout): once more.
      open(url);
      return exchange(url, headers);
    }
  }

  /** Which server a URL names: its scheme, host and port. */
  private static String origin(URI url) {
    return url.getScheme() + "://" + url.getRawAuthority();
  }

  private void open(URI url) throws IOException {
    close();
    boolean tls = "https".equals(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
    Socket s = tls ? ClusterTls.sslContext().getSocketFactory().createSocket() : new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(url.getHost(), port), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      if (s instanceof SSLSocket ssl) {
        // As lab's client: Patroni's REST server (Python's ssl) drops TLS 1.3 from the JDK after the
        // handshake; and the server's certificate must name the host (its IP address here).
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.2"});
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
      }
      in = new BufferedInputStream(s.getInputStream(), 16384);
      out = s.getOutputStream();
      socket = s;
      server = origin(url);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  private Answer exchange(URI url, Map<String, String> headers) throws IOException {
    StringBuilder request = new StringBuilder("GET ").append(url.getRawPath() == null || url.getRawPath().isEmpty()
        ? "/" : url.getRawPath());
    if (url.getRawQuery() != null) {
      request.append('?').append(url.getRawQuery());
    }
    request.append(" HTTP/1.1\r\nHost: ").append(url.getRawAuthority()).append("\r\n");
    headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
    out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    if (quickAck) {
      try {
        socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
      } catch (UnsupportedOperationException e) {
        // not Linux: the answer just comes later
      }
    }

    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("connection closed before an answer");
    }
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not HTTP: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    boolean keep = parts[0].equals("HTTP/1.1");
    long length = -1;
    boolean chunked = false;
    String header;
    while ((header = line()) != null && !header.isEmpty()) {
      int colon = header.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).strip();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> keep = parts[0].equals("HTTP/1.1")
            ? !value.equalsIgnoreCase("close") : value.equalsIgnoreCase("keep-alive");
        default -> { }
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      long size;
      while ((size = Long.parseLong(required(line()).split(";", 2)[0].strip(), 16)) > 0) {
        copy(size, body);
        required(line());
      }
      while (!required(line()).isEmpty()) {
        // trailers
      }
    } else if (length >= 0) {
      copy(length, body);
    } else {
      in.transferTo(body);
      keep = false;
    }
    if (!keep) {
      close();
    }
    return new Answer(status, body.toString(StandardCharsets.UTF_8));
  }

  private void copy(long n, ByteArrayOutputStream to) throws IOException {
    byte[] buffer = new byte[8192];
    long left = n;
    while (left > 0) {
      int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (r < 0) {
        throw new IOException("connection closed " + left + " bytes before the end of the body");
      }
      to.write(buffer, 0, r);
      left -= r;
    }
  }

  private static String required(String line) throws IOException {
    if (line == null) {
      throw new IOException("connection closed in a chunked body");
    }
    return line;
  }

  /** One line without its CRLF (or LF); null at the end of the stream before any byte. */
  private String line() throws IOException {
    StringBuilder s = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int end = s.length();
        return end > 0 && s.charAt(end - 1) == '\r' ? s.substring(0, end - 1) : s.toString();
      }
      s.append((char) c);
    }
    return s.length() == 0 ? null : s.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    socket = null;
    server = null;
    in = null;
    out = null;
  }
}
