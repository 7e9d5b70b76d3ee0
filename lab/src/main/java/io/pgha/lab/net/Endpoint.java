package io.pgha.lab.net;

/** A TCP address and port on loopback: one of the cluster's listeners, or a client's end of a connection. */
public record Endpoint(String host, int port) {

  public Endpoint {
    if (host == null || host.isBlank() || host.contains("/")) {
      throw new IllegalArgumentException("not a host address: " + host);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("not a port: " + port);
    }
  }

  /** {@code 127.0.0.1:43690} as ss prints it (IPv4 only: the cluster lives on 127.0.0.0/8). */
  public static Endpoint parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("not host:port: " + text);
    }
    return new Endpoint(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
