package io.pgha.postgres;

import io.pgha.common.tls.TlsMaterial;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The SSL sockets pgjdbc opens for a target, on the target's {@link TlsMaterial}: pgjdbc names
 * this class in {@code sslfactory} and creates one per connection with the connection's
 * properties, whose {@code sslfactoryarg} says which target's material to use. So keys are read
 * from PEM by pgha (pgjdbc's own factory wants PKCS#8 DER), checked as the other exporters check
 * theirs, and read again when they change on disk.
 */
public final class PgSslSocketFactory extends SSLSocketFactory {
  /** The material of every target's client in this JVM, by the id given as {@code sslfactoryarg}. */
  private static final Map<String, Registered> REGISTERED = new ConcurrentHashMap<>();

  private record Registered(TlsMaterial material, boolean checkHost) {}

  private final SSLSocketFactory delegate;
  private final boolean checkHost;

  /** What pgjdbc calls: the connection's properties. */
  public PgSslSocketFactory(Properties connection) throws IOException {
    String id = connection.getProperty("sslfactoryarg");
    Registered r = id == null ? null : REGISTERED.get(id);
    if (r == null) {
      throw new IOException("no TLS material registered as " + id + " (the target's client was closed)");
    }
    this.delegate = r.material().sslContext().getSocketFactory();
    this.checkHost = r.checkHost();
  }

  static void register(String id, TlsMaterial material, boolean checkHost) {
    REGISTERED.put(id, new Registered(material, checkHost));
  }

  static void unregister(String id) {
    REGISTERED.remove(id);
  }

  /** pgjdbc upgrades its plain socket: the handshake then checks the host when sslmode is verify-full. */
  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
    return prepare(delegate.createSocket(s, host, port, autoClose));
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return prepare(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return prepare(delegate.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return prepare(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return prepare(delegate.createSocket(address, port, localAddress, localPort));
  }

  private Socket prepare(Socket socket) {
    if (checkHost && socket instanceof SSLSocket ssl) {
      SSLParameters p = ssl.getSSLParameters();
      p.setEndpointIdentificationAlgorithm("HTTPS");
      ssl.setSSLParameters(p);
    }
    return socket;
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }
}
