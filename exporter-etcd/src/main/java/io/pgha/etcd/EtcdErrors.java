package io.pgha.etcd;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Classifies what jetcd and gRPC throw, and says it in one short line for the log. */
final class EtcdErrors {
  private EtcdErrors() {}

  static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  static Status.Code code(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof EtcdException etcd) {
      return toGrpc(etcd.getErrorCode());
    }
    if (e instanceof TimeoutException) {
      return Status.Code.DEADLINE_EXCEEDED;
    }
    return Status.fromThrowable(e).getCode();
  }

  /** A user without permission on the probe key still proves that a quorum read went through. */
  static boolean permissionDenied(Throwable t) {
    return code(t) == Status.Code.PERMISSION_DENIED;
  }

  /**
   * The connection itself failed (refused, reset, TLS), as opposed to an answer from etcd such as
   * "etcdserver: no leader". Only then is it worth replacing the client's channel.
   */
  static boolean connectionFailed(Throwable t) {
    String message = unwrap(t).getMessage();
    return code(t) == Status.Code.UNAVAILABLE && (message == null || !message.startsWith("etcdserver:"));
  }

  static String describe(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof TimeoutException || code(e) == Status.Code.DEADLINE_EXCEEDED) {
      // gRPC's own text carries timings that would make every repeat look like news.
      return "no answer within the deadline";
    }
    String code = code(e).name();
    StringBuilder s = new StringBuilder(code);
    String message = e.getMessage();
    if (message != null && !message.isBlank()) {
      String first = message.lines().findFirst().orElse("");
      s.append(": ").append(first.startsWith(code + ": ") ? first.substring(code.length() + 2) : first);
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != e && root.getMessage() != null && (message == null || !message.contains(root.getMessage()))) {
      s.append(" (").append(root.getClass().getSimpleName()).append(": ").append(root.getMessage()).append(')');
    }
    return s.toString();
  }

  private static Status.Code toGrpc(ErrorCode code) {
    try {
      return Status.Code.valueOf(code.name());
    } catch (IllegalArgumentException e) {
      return Status.Code.UNKNOWN;
    }
  }
}
