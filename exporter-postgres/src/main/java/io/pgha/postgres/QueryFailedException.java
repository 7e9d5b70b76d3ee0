package io.pgha.postgres;

/** A collector's query failed on a reachable target; the message names the target and the cause. */
public final class QueryFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public QueryFailedException(String message) {
    super(message, null, false, false);
  }
}
