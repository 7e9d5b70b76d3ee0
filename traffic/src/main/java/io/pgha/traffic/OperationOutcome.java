package io.pgha.traffic;

import java.util.Objects;

/**
 * What one traffic operation did, as the client saw it. Times are epoch milliseconds taken from the
 * run's monotonic clock; an operation belongs to the moment it ended, because that is when the client
 * learned whether it worked.
 *
 * @param member the member that served it (name from cluster.json, else {@code host:port}); null on failure
 * @param primary whether the serving member was a primary ({@code pg_is_in_recovery()} false); false on failure
 * @param error a short description of the failure; null on success
 */
public record OperationOutcome(Kind kind, long startedAtMillis, long endedAtMillis, boolean ok,
                               String member, boolean primary, String error) {

  public enum Kind { WRITE, READ }

  public OperationOutcome {
    Objects.requireNonNull(kind, "kind");
    if (endedAtMillis < startedAtMillis) {
      throw new IllegalArgumentException("operation ends before it starts");
    }
    if (ok && member == null) {
      throw new IllegalArgumentException("a successful operation names the member that served it");
    }
  }

  public static OperationOutcome ok(Kind kind, long startedAtMillis, long endedAtMillis, String member,
                                    boolean primary) {
    return new OperationOutcome(kind, startedAtMillis, endedAtMillis, true, member, primary, null);
  }

  public static OperationOutcome failed(Kind kind, long startedAtMillis, long endedAtMillis, String error) {
    return new OperationOutcome(kind, startedAtMillis, endedAtMillis, false, null, false, error);
  }

  public boolean isWrite() {
    return kind == Kind.WRITE;
  }
}
