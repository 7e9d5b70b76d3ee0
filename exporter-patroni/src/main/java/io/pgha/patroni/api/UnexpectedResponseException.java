package io.pgha.patroni.api;

/**
 * A member answered, but not with what Patroni answers: another HTTP status, HTML, JSON of another
 * shape. Unlike an unreachable member (member_up 0), this fails the member's collector with the
 * reason in the log, because it points at a misconfiguration rather than at a stopped member.
 */
public final class UnexpectedResponseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnexpectedResponseException(String message) {
    super(message, null, false, false);
  }
}
