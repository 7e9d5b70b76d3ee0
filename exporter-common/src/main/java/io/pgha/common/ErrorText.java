package io.pgha.common;

import io.pgha.common.tls.TlsErrors;
import java.net.ConnectException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Says what went wrong in one short line for the log: the first line of the message, and the root
 * cause when the message alone says little. Timeouts say no figure, because the time left shrinks
 * with the scrape and a reason that changes on every scrape would be logged anew each time. Built
 * from exception messages only, which carry no credentials in the clients used here.
 */
public final class ErrorText {
  private ErrorText() {}

  public static String describe(Throwable t) {
    Throwable e = unwrap(t);
    if (isTimeout(e)) {
      return "no answer in time";
    }
    Optional<String> tls = TlsErrors.describe(e);
    if (tls.isPresent()) {
      return tls.get();
    }
    if (e instanceof ConnectException) {
      return "cannot connect: " + withRootCause(e);
    }
    return withRootCause(e);
  }

  /** The exception a future or executor wrapped. */
  public static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** A timeout of ours ({@code Future.timeout}) or of a transport (connect, idle, read timeout). */
  public static boolean isTimeout(Throwable t) {
    Throwable e = unwrap(t);
    return e instanceof TimeoutException || e.getClass().getSimpleName().contains("Timeout");
  }

  /** The first line of the message (the class name without one), and the root cause's when not already said. */
  public static String withRootCause(Throwable e) {
    String message = firstLine(e);
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != e) {
      String cause = firstLine(root);
      if (!message.contains(cause)) {
        message += " (" + cause + ")";
      }
    }
    return message;
  }

  static String firstLine(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return message.lines().findFirst().orElse(message).strip();
  }
}
