package io.pgha.drills;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Prefixes every line written through it, so a nested command's output reads as part of the drill's. */
final class IndentingStream extends PrintStream {

  IndentingStream(PrintStream target, String prefix) {
    super(new OutputStream() {
      private boolean lineStart = true;
      private final byte[] prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);

      @Override
      public void write(int b) {
        if (lineStart) {
          target.write(prefixBytes, 0, prefixBytes.length);
          lineStart = false;
        }
        target.write(b);
        if (b == '\n') {
          lineStart = true;
          target.flush();
        }
      }

      @Override
      public void flush() {
        target.flush();
      }
    }, true, StandardCharsets.UTF_8);
  }
}
