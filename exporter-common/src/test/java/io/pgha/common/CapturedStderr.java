package io.pgha.common;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the code under test logs (the exporters log to stderr), captured for each test:
 * {@code @RegisterExtension final CapturedStderr log = new CapturedStderr();}. Stderr is restored
 * after the test's own {@code @AfterEach} methods, so what closing the exporter logs is captured too.
 */
public final class CapturedStderr implements BeforeEachCallback, AfterEachCallback {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private PrintStream original;

  @Override
  public void beforeEach(ExtensionContext context) {
    original = System.err;
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.setErr(original);
  }

  /** Everything logged since the test started (or since {@link #reset()}). */
  public String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  public void reset() {
    bytes.reset();
  }
}
