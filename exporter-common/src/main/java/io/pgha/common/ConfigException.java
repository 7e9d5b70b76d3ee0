package io.pgha.common;

/** A configuration problem; the message names the key path and the problem. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String path, String problem) {
    super(path + ": " + problem);
  }
}
