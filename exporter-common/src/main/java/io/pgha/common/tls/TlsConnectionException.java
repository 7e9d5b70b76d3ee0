package io.pgha.common.tls;

/**
 * A connection failed because of TLS, with the reason in one line ({@link TlsMaterial#explained}):
 * what the exporters' clients fail with, so the target's log line says it plainly.
 */
public final class TlsConnectionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TlsConnectionException(String message) {
    super(message, null, false, false);
  }
}
