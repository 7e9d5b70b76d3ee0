package io.pgha.common.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Says in one line why a TLS connection failed, from what JSSE and the clients throw: the reason
 * {@link TlsMaterial} gave (a file, or the peer's certificate), the peer refusing ours (a TLS
 * alert), or a port that does not speak TLS at all.
 */
public final class TlsErrors {
  static final String REFUSED_OUR_CERTIFICATE = "the server refused the client certificate";
  /**
   * What a client sees when the server drops the connection in the handshake without an alert it
   * could read (OpenSSL servers refusing a client certificate under TLS 1.3, say): the same words
   * whether the reset or the broken pipe came first, so the log line does not flap between them.
   */
  static final String CLOSED_IN_HANDSHAKE = "the server closed the connection during the TLS handshake";
  private static final Pattern CLOSED = Pattern.compile(
      "Connection reset|Broken pipe|Remote host terminated the handshake|closed the connection|Connection closed by remote host");
  private static final Pattern ALERT = Pattern.compile("Received fatal alert: (\\w+)");
  /** Alerts a server sends about the client's certificate (RFC 8446 6.2, RFC 5246 7.2.2). */
  private static final Set<String> CERTIFICATE_ALERTS = Set.of("bad_certificate", "unsupported_certificate",
      "certificate_revoked", "certificate_expired", "certificate_unknown", "unknown_ca", "access_denied",
      "certificate_required");

  private TlsErrors() {}

  /** The TLS reason in {@code failure} or its causes; empty when TLS was not the problem. */
  public static Optional<String> describe(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof TlsFileException || e instanceof PeerCertificateException || e instanceof TlsConnectionException) {
        return Optional.of(e.getMessage());
      }
    }
    for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      Matcher alert = ALERT.matcher(message);
      if (alert.find()) {
        String name = alert.group(1);
        return Optional.of(CERTIFICATE_ALERTS.contains(name)
            ? REFUSED_OUR_CERTIFICATE + " (TLS alert " + name + ")"
            : "the TLS handshake failed (TLS alert " + name + ")");
      }
    }
    boolean tls = false;
    for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      tls |= e instanceof SSLException || message.startsWith("SSL error"); // pgjdbc's wrapper says so
    }
    if (tls && closed(failure)) {
      return Optional.of(CLOSED_IN_HANDSHAKE);
    }
    for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      if (e instanceof SSLException) {
        if (message.contains("Unsupported or unrecognized SSL message") || message.contains("not an SSL/TLS record")) {
          return Optional.of("the server does not speak TLS on this port");
        }
        return Optional.of("TLS failed: " + message.lines().findFirst().orElse(message));
      }
    }
    return Optional.empty();
  }

  /** Whether the connection was reset or closed under us anywhere in {@code failure}'s chain. */
  static boolean closed(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (CLOSED.matcher(e.getMessage() == null ? "" : e.getMessage()).find()) {
        return true;
      }
    }
    return false;
  }

  /** Why JSSE refused the peer's certificate, said in terms of what the operator can check. */
  static String peerRefused(String peer, X509Certificate leaf, String host, CertificateException e, String against) {
    String detail = messages(e);
    String who = "the " + peer + "'s certificate (" + TlsMaterial.subject(leaf) + ")";
    if (detail.contains("No subject alternative") || detail.contains("No name matching")) {
      return who + " is not valid for " + (host == null ? "the address connected to" : host) + ": it names "
          + TlsMaterial.names(leaf);
    }
    if (TlsMaterial.isValidityProblem(e)) {
      return who + " comes with a CA certificate that is not valid now (" + firstLine(detail) + "), " + against;
    }
    if (detail.contains("PKIX path") || detail.contains("certification path") || detail.contains("signature check failed")
        || detail.contains("Path does not chain") || detail.contains("trust anchor")) {
      return who + ", issued by " + leaf.getIssuerX500Principal().getName() + ", is not signed by a trusted CA, " + against;
    }
    return who + " is refused: " + firstLine(detail) + ", " + against;
  }

  private static String messages(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable e = t; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e.getMessage() != null) {
        all.append(e.getMessage()).append('\n');
      }
    }
    return all.toString();
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElse(text).strip();
  }
}
