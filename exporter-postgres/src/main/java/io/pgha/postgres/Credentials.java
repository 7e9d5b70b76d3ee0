package io.pgha.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The monitoring role and where its password comes from. The file is read again at every
 * (re)connect, so a rotated password is picked up without a restart. Never printed.
 */
public final class Credentials {
  private final String username;
  private final String environmentPassword;
  private final Path passwordFile;

  Credentials(String username, String environmentPassword, Path passwordFile) {
    this.username = username;
    this.environmentPassword = environmentPassword;
    this.passwordFile = passwordFile;
  }

  public String username() {
    return username;
  }

  /** The password, or empty for trust/peer-style authentication. */
  public Optional<String> password() throws IOException {
    if (environmentPassword != null) {
      return Optional.of(environmentPassword);
    }
    if (passwordFile != null) {
      return Optional.of(readPasswordFile(passwordFile));
    }
    return Optional.empty();
  }

  static String readPasswordFile(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    // Files written with echo or an editor end in a newline that is not part of the password.
    return text.strip();
  }

  @Override
  public String toString() {
    String source = environmentPassword != null ? "env PGHA_POSTGRES_PASSWORD"
        : passwordFile != null ? "password_file " + passwordFile : "no password";
    return username + " (" + source + ")";
  }
}
