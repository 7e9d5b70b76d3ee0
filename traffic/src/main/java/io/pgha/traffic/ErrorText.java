package io.pgha.traffic;

import java.sql.SQLException;

/** Short, one-line descriptions of failures for the per-second lines and the summary. Pure. */
final class ErrorText {

  static final int MAX_LENGTH = 100;

  private ErrorText() {
  }

  /** SQLState (when there is one) and the first sentence of the message, on one line. */
  static String brief(Throwable failure) {
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      message = failure.getClass().getSimpleName();
    }
    message = message.strip();
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline).strip();
    }
    int sentenceEnd = message.indexOf(". ");
    if (sentenceEnd > 0) {
      message = message.substring(0, sentenceEnd);
    }
    if (message.endsWith(".")) {
      message = message.substring(0, message.length() - 1);
    }
    String state = failure instanceof SQLException sql ? sql.getSQLState() : null;
    String text = state == null || state.isBlank() ? message : state + " " + message;
    return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH - 3) + "...";
  }
}
