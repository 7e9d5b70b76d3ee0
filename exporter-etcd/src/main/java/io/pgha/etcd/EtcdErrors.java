package io.pgha.etcd;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import io.pgha.common.ErrorText;
import io.pgha.common.tls.TlsErrors;
import java.time.Duration;
import java.util.Optional;

/** Classifies what jetcd and gRPC throw, and says it in one short line (the gRPC code, then {@link ErrorText}'s). */
final class EtcdErrors {
  /**
   * During an outage a refused connection and a reset alternate: a changed reason is logged again
   * only after this long, so an outage is a few lines, not a flood.
   */
  static final Duration LOG_QUIET = Duration.ofMinutes(1);

  private EtcdErrors() {}

  static Status.Code code(Throwable t) {
    Throwable e = ErrorText.unwrap(t);
    if (e instanceof EtcdException etcd) {
      return toGrpc(etcd.getErrorCode());
    }
    if (e instanceof java.util.concurrent.TimeoutException) {
      return Status.Code.DEADLINE_EXCEEDED;
    }
    return Status.fromThrowable(e).getCode();
  }

  /** A user without permission on the probe key still proves that a quorum read went through. */
  static boolean permissionDenied(Throwable t) {
    return code(t) == Status.Code.PERMISSION_DENIED;
  }

  /**
   * Worth a new client: the connection itself failed (refused, reset, TLS), as opposed to an answer
   * from etcd such as "etcdserver: no leader", which gRPC's reconnect back-off would otherwise hide
   * for minutes; or etcd refused the credentials, and a new client reads the password file again.
   */
  static boolean needsNewClient(Throwable t) {
    String message = ErrorText.unwrap(t).getMessage();
    Status.Code code = code(t);
    boolean connection = code == Status.Code.UNAVAILABLE && (message == null || !message.startsWith("etcdserver:"));
    boolean credentials = code == Status.Code.UNAUTHENTICATED
        || (message != null && message.contains("authentication failed"));
    return connection || credentials;
  }

  static String describe(Throwable t) {
    Throwable e = ErrorText.unwrap(t);
    if (ErrorText.isTimeout(e) || code(e) == Status.Code.DEADLINE_EXCEEDED) {
      // gRPC's own text carries timings that would make every repeat look like news.
      return "no answer within the deadline";
    }
    Optional<String> tls = TlsErrors.describe(e);
    if (tls.isPresent()) {
      return tls.get(); // a certificate problem says which file and why, not gRPC's "io exception"
    }
    String code = code(e).name();
    String text = ErrorText.withRootCause(e);
    return code + ": " + (text.startsWith(code + ": ") ? text.substring(code.length() + 2) : text);
  }

  private static Status.Code toGrpc(ErrorCode code) {
    try {
      return Status.Code.valueOf(code.name());
    } catch (IllegalArgumentException e) {
      return Status.Code.UNKNOWN;
    }
  }
}
