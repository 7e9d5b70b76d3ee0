package io.pgha.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one check of every PEM file a configuration names ({@code ca_file}, the web config's
 * certificates and key): readable, and PEM holding the expected kind, so a wrong file is a
 * configuration error at start, not a TLS failure at the first scrape.
 */
public final class PemFile {
  public static final String CERTIFICATE = "CERTIFICATE";
  public static final String PRIVATE_KEY = "PRIVATE KEY";

  private PemFile() {}

  /** The file at the configuration key {@code node}. */
  public static Path require(ConfigNode node, String kind) {
    return require(node.path(), Path.of(node.asString()), kind);
  }

  /** The file at the configuration key {@code node}, relative paths against {@code dir}. */
  public static Path require(ConfigNode node, Path dir, String kind) {
    return require(node.path(), dir.resolve(node.asString()), kind);
  }

  /** {@code file}, or a {@link ConfigException} at {@code key} saying what is wrong with it. */
  public static Path require(String key, Path file, String kind) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new ConfigException(key, "no such file: " + file);
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + file + ": " + ErrorText.describe(e));
    }
    if (!text.contains("-----BEGIN ") || !text.contains(kind)) {
      throw new ConfigException(key, "not a PEM file with a " + kind + ": " + file);
    }
    return file;
  }
}
