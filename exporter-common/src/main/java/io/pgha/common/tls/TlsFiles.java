package io.pgha.common.tls;

import io.pgha.common.ConfigException;
import io.pgha.common.ConfigNode;
import io.pgha.common.PemFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files of one TLS identity and trust, each with the configuration key that named it (so every
 * problem says which key to fix): a CA bundle to check the peer with, and a certificate with its
 * private key to present. Any of them may be absent.
 */
public record TlsFiles(Optional<File> ca, Optional<File> cert, Optional<File> key) {

  /** One file and the key that named it, e.g. {@code etcd.cert_file}. */
  public record File(String key, Path path) {
    @Override
    public String toString() {
      return key + " " + path;
    }
  }

  public static final TlsFiles NONE = new TlsFiles(Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * The files at these configuration keys (each may be absent), checked as {@link PemFile} checks
   * them; a certificate without its key, or a key without its certificate, names the missing key.
   */
  public static TlsFiles from(ConfigNode ca, ConfigNode cert, ConfigNode key) {
    return from(ca, cert, key, Path.of(""));
  }

  /** Like {@link #from(ConfigNode, ConfigNode, ConfigNode)}, relative paths against {@code dir}. */
  public static TlsFiles from(ConfigNode ca, ConfigNode cert, ConfigNode key, Path dir) {
    if (cert.isPresent() != key.isPresent()) {
      ConfigNode missing = cert.isPresent() ? key : cert;
      throw new ConfigException(missing.path(), "is required with " + (cert.isPresent() ? cert : key).path());
    }
    return new TlsFiles(file(ca, dir, PemFile.CERTIFICATE), file(cert, dir, PemFile.CERTIFICATE),
        file(key, dir, PemFile.PRIVATE_KEY));
  }

  private static Optional<File> file(ConfigNode node, Path dir, String kind) {
    return node.isPresent() ? Optional.of(new File(node.path(), PemFile.require(node, dir, kind))) : Optional.empty();
  }

  public boolean isEmpty() {
    return ca.isEmpty() && cert.isEmpty();
  }

  public List<File> all() {
    List<File> files = new ArrayList<>();
    ca.ifPresent(files::add);
    cert.ifPresent(files::add);
    key.ifPresent(files::add);
    return files;
  }

  @Override
  public String toString() {
    return all().isEmpty() ? "no TLS files" : String.join(", ", all().stream().map(File::toString).toList());
  }
}
