package io.pgha.common.tls;

import java.security.cert.CertificateException;

/**
 * The peer's certificate was refused, with the reason in one line (the host it was for, what the
 * certificate names, which CA file it was checked against). JSSE makes its message the handshake
 * failure's, so every client's error text carries it.
 */
public final class PeerCertificateException extends CertificateException {
  private static final long serialVersionUID = 1L;

  PeerCertificateException(String message) {
    super(message);
  }
}
