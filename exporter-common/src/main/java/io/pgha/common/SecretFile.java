package io.pgha.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secret kept in a file ({@code password_file}), the same way in every exporter: checked when the
 * configuration is read, read again by the client at every (re)connect so a rotated password works
 * without a restart, and never shown: {@link #toString()} names the file, not its content.
 */
public final class SecretFile {
  private static final Logger LOG = LoggerFactory.getLogger(SecretFile.class);
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
  /** Files warned about, so a file is warned about once per process however often it is named. */
  private static final Set<Path> WARNED = ConcurrentHashMap.newKeySet();

  private final String key;
  private final Path file;
  private final ProblemLog problems = new ProblemLog(LOG);
  private volatile String last;

  private SecretFile(String key, Path file, String content) {
    this.key = key;
    this.file = file;
    this.last = content;
  }

  /**
   * The file named at the configuration key {@code node}: a {@link ConfigException} naming the key
   * when it is missing, unreadable or empty; a warning (once) when group or others may read it.
   */
  public static SecretFile from(ConfigNode node) {
    Path file = Path.of(node.asString());
    String content;
    try {
      content = readFile(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(node.path(), "no such file: " + file);
    } catch (IOException e) {
      throw new ConfigException(node.path(), "cannot read " + file + ": " + ErrorText.describe(e));
    }
    if (content.isEmpty()) {
      throw new ConfigException(node.path(), "is empty: " + file);
    }
    warnIfShared(node.path(), file);
    return new SecretFile(node.path(), file, content);
  }

  public Path path() {
    return file;
  }

  /**
   * The secret as the file holds it now, without the line end an editor or {@code echo} adds. While
   * the file cannot be read (being replaced, say) the last secret read is used, with a warning.
   */
  public String read() {
    try {
      String content = readFile(file);
      if (content.isEmpty()) {
        throw new IOException("the file is empty");
      }
      problems.recovered(key, "read " + file + " again");
      last = content;
      return content;
    } catch (IOException e) {
      problems.failed(key, "cannot read " + file + " (" + ErrorText.describe(e) + "); using the secret read before");
      return last;
    }
  }

  private static String readFile(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8).strip();
  }

  private static void warnIfShared(String key, Path file) {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (IOException | UnsupportedOperationException e) {
      return; // not a POSIX file system: nothing to say
    }
    permissions.retainAll(GROUP_OR_OTHERS);
    if (!permissions.isEmpty() && WARNED.add(file.toAbsolutePath().normalize())) {
      LOG.warn("{}: {} can be read by {}; make it readable by its owner only (chmod 600)", key, file,
          permissions.contains(PosixFilePermission.OTHERS_READ) ? "every user" : "its group");
    }
  }

  @Override
  public String toString() {
    return "password_file " + file;
  }
}
