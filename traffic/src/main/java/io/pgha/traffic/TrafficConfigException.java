package io.pgha.traffic;

/** A work dir file traffic needs is missing or wrong; the message names the file and the key. */
public final class TrafficConfigException extends Exception {

  public TrafficConfigException(String message) {
    super(message);
  }
}
