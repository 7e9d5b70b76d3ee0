package io.pgha.patroni;

import io.pgha.patroni.api.UnexpectedResponseException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** Short, log-friendly reasons for failed requests. They carry no credentials. */
final class Failures {
  private Failures() {}

  static String describe(Throwable t) {
    if (t instanceof UnexpectedResponseException) {
      return t.getMessage();
    }
    if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
      // No figure: the timeout shrinks with the time left in the scrape, and a changing reason
      // would be logged anew on every scrape.
      return "no answer in time";
    }
    if (t instanceof ConnectException) {
      return "cannot connect: " + t.getMessage();
    }
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
