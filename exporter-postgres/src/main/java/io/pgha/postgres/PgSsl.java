package io.pgha.postgres;

import io.pgha.common.ConfigException;
import io.pgha.common.ConfigNode;
import io.pgha.common.tls.TlsFiles;
import java.util.List;

/**
 * How one target is reached over SSL, in libpq's terms: {@code sslmode} (disable, allow, prefer,
 * require, verify-ca, verify-full; libpq's default prefer), {@code sslrootcert} (the CA the server
 * is checked against), {@code sslcert} and {@code sslkey} (a client certificate, for
 * {@code clientcert=} in pg_hba.conf). The files are PEM, keys in any format OpenSSL writes: they
 * are read by pgha, not handed to pgjdbc (which wants PKCS#8 DER keys).
 */
public record PgSsl(String mode, TlsFiles files) {
  static final List<String> MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
  static final List<String> KEYS = List.of("sslmode", "sslrootcert", "sslcert", "sslkey");
  public static final PgSsl DEFAULT = new PgSsl("prefer", TlsFiles.NONE);

  /**
   * The target's settings: each key of the target if it has it, else the section's ({@code for
   * all}); {@code urlMode} is the sslmode a target's URL carries, if any.
   */
  static PgSsl read(ConfigNode target, ConfigNode section, String urlMode) {
    ConfigNode modeNode = pick(target, section, "sslmode");
    if (urlMode != null && modeNode.isPresent()) {
      throw new ConfigException(modeNode.path(), "the target's url sets sslmode too; give it in one place");
    }
    String mode = modeNode.isPresent() ? modeNode.asString() : urlMode == null ? DEFAULT.mode() : urlMode;
    if (!MODES.contains(mode)) {
      throw new ConfigException(modeNode.isPresent() ? modeNode.path() : target.path() + ".url",
          "unknown sslmode " + mode + " (want one of " + String.join(", ", MODES) + ")");
    }
    if (mode.equals("disable")) {
      // Files given for all targets do not concern one that turns SSL off; its own would be a mistake.
      ConfigNode holder = modeNode.isPresent() && modeNode.path().startsWith(target.path() + ".") ? target : section;
      for (String key : List.of("sslrootcert", "sslcert", "sslkey")) {
        if (holder.get(key).isPresent()) {
          throw new ConfigException(holder.get(key).path(), "is set but sslmode is disable");
        }
      }
      return new PgSsl(mode, TlsFiles.NONE);
    }
    ConfigNode root = pick(target, section, "sslrootcert");
    TlsFiles files = TlsFiles.from(root, pick(target, section, "sslcert"), pick(target, section, "sslkey"));
    if ((mode.equals("verify-ca") || mode.equals("verify-full")) && files.ca().isEmpty()) {
      throw new ConfigException(root.path(), "is required with sslmode " + mode
          + " (the CA the server's certificate is checked against)");
    }
    return new PgSsl(mode, files);
  }

  private static ConfigNode pick(ConfigNode target, ConfigNode section, String key) {
    ConfigNode own = target.get(key);
    return own.isPresent() ? own : section.get(key);
  }

  public boolean enabled() {
    return !mode.equals("disable");
  }

  /**
   * Whether the server's certificate is checked: verify-ca and verify-full, and require with an
   * sslrootcert, as libpq does when it has a root certificate.
   */
  public boolean verifiesServer() {
    return mode.startsWith("verify-") || (mode.equals("require") && files.ca().isPresent());
  }

  /** verify-full also checks that the certificate names the host connected to. */
  public boolean verifiesHost() {
    return mode.equals("verify-full");
  }

  @Override
  public String toString() {
    return "sslmode " + mode + (files.isEmpty() ? "" : ", " + files);
  }
}
