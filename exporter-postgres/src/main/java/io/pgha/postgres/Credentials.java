package io.pgha.postgres;

import io.pgha.common.SecretFile;
import java.util.Optional;

/**
 * The monitoring role and where its password comes from: {@code PGHA_POSTGRES_PASSWORD}, or the
 * password file, read again at every (re)connect so a rotated password is picked up without a
 * restart. Never printed.
 */
public final class Credentials {
  private final String username;
  private final String environmentPassword;
  private final SecretFile passwordFile;

  Credentials(String username, String environmentPassword, SecretFile passwordFile) {
    this.username = username;
    this.environmentPassword = environmentPassword;
    this.passwordFile = passwordFile;
  }

  public String username() {
    return username;
  }

  /** The password, or empty for trust/peer-style authentication. */
  public Optional<String> password() {
    if (environmentPassword != null) {
      return Optional.of(environmentPassword);
    }
    return Optional.ofNullable(passwordFile).map(SecretFile::read);
  }

  @Override
  public String toString() {
    String source = environmentPassword != null ? "env " + PostgresConfig.PASSWORD_ENV
        : passwordFile != null ? passwordFile.toString() : "no password";
    return username + " (" + source + ")";
  }
}
