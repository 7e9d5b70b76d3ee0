package io.pgha.lab.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;

/**
 * Generated passwords, one file per user under {@code <workdir>/secrets} (directory 700, files 600).
 * Alphanumeric only, so they can be written into YAML and pgpass files without quoting.
 * Never printed or logged: callers pass them straight into config files or child environments.
 */
public final class Secrets {
  public static final String SUPERUSER = "postgres";
  public static final String REPLICATION = "replicator";
  public static final String MONITOR = "pgha_monitor";
  public static final String APP = "app";
  /** Basic-auth user guarding Patroni's unsafe REST endpoints (switchover, restart, config). */
  public static final String PATRONI_REST = "patroni";
  /** Basic-auth user Prometheus logs in to the exporters with on a TLS cluster. */
  public static final String SCRAPE = "prometheus";
  public static final List<String> USERS = List.of(SUPERUSER, REPLICATION, MONITOR, APP, PATRONI_REST, SCRAPE);

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int LENGTH = 32;

  private final Path dir;

  public Secrets(Path workdir) {
    this.dir = workdir.resolve("secrets");
  }

  public static Path file(Path workdir, String user) {
    return workdir.resolve("secrets").resolve(user + ".password");
  }

  /** Creates the directory and every missing password; existing ones are kept. */
  public void ensure() throws IOException {
    privateDir();
    for (String user : USERS) {
      Path f = dir.resolve(user + ".password");
      if (!Files.isRegularFile(f) || Files.size(f) == 0) {
        generate(user);
      }
    }
  }

  /** A new password for {@code user} (for users of its own, like the bench's), replacing any. */
  public Path generate(String user) throws IOException {
    SecureRandom random = new SecureRandom();
    StringBuilder pw = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) {
      pw.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return write(user + ".password", pw.toString());
  }

  /**
   * Writes a file only its owner can read (600) into the secrets directory only its owner can enter
   * (700), replacing any file of that name by a rename, so no reader sees half of it.
   */
  public Path write(String name, String content) throws IOException {
    privateDir();
    Path f = dir.resolve(name);
    Path tmp = dir.resolve(name + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
    return f;
  }

  private void privateDir() throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }

  /** The password of {@code user}; fails naming the file when it is missing, empty or not one line. */
  public String password(String user) {
    Path file = dir.resolve(user + ".password");
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalStateException(file + ": not found (./pgha up generates it)");
    } catch (AccessDeniedException e) {
      throw new IllegalStateException(file + ": cannot read: permission denied");
    } catch (IOException e) {
      throw new IllegalStateException(file + ": cannot read: " + e.getMessage(), e);
    }
    // A trailing newline is an editor's, not the password's.
    String password = content.replaceAll("[\r\n]+$", "");
    if (password.isEmpty()) {
      throw new IllegalStateException(file + ": empty");
    }
    if (password.contains("\n")) {
      throw new IllegalStateException(file + ": more than one line");
    }
    return password;
  }
}
