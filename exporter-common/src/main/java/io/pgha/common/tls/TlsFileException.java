package io.pgha.common.tls;

import io.pgha.common.ConfigException;
import java.nio.file.Path;

/**
 * A certificate, key or CA file that cannot be used as it is now: the message names the
 * configuration key, the file and the reason, in one line, and never holds the file's content.
 */
public final class TlsFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String detail;

  public TlsFileException(String key, Path file, String reason) {
    super(key + " " + file + ": " + reason);
    this.key = key;
    this.detail = file + ": " + reason;
  }

  TlsFileException(String message) {
    super(message);
    this.key = "tls";
    this.detail = message;
  }

  /** The same problem as a configuration error at start: the key, then the file and the reason. */
  public ConfigException asConfigProblem() {
    return new ConfigException(key, detail);
  }
}
