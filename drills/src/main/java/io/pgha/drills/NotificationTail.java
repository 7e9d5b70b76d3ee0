package io.pgha.drills;

import io.pgha.lab.alerts.AlertJson;
import io.pgha.lab.alerts.Notification;
import io.pgha.lab.alerts.NotifiedAlert;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Follows the receiver's {@code notifications.jsonl} from where it ended when the drill began: each
 * new complete line is a notification, stamped with when it was first seen.
 */
final class NotificationTail implements Runnable {

  private final Path file;
  private final LongSupplier clock;
  private final Recorder<AlertSeen> into;
  private long offset;
  private int line;

  NotificationTail(Path file, LongSupplier clock, Recorder<AlertSeen> into) throws IOException {
    this.file = file;
    this.clock = clock;
    this.into = into;
    if (Files.exists(file)) {
      offset = Files.size(file);
      line = (int) Files.readAllLines(file, StandardCharsets.UTF_8).size();
    }
  }

  @Override
  public void run() {
    try {
      if (!Files.exists(file) || Files.size(file) <= offset) {
        return;
      }
      byte[] fresh;
      try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
        in.seek(offset);
        fresh = new byte[(int) (in.length() - offset)];
        in.readFully(fresh);
      }
      // Only complete lines: the receiver may be halfway through one (and through a UTF-8 character).
      int end = fresh.length;
      while (end > 0 && fresh[end - 1] != '\n') {
        end--;
      }
      if (end == 0) {
        return;
      }
      offset += end;
      long at = clock.getAsLong();
      for (String text : new String(fresh, 0, end, StandardCharsets.UTF_8).split("\n")) {
        line++;
        if (!text.isBlank()) {
          record(at, text);
        }
      }
    } catch (IOException e) {
      // The receiver may be writing the file: the next poll reads what is new.
    }
  }

  private void record(long at, String text) {
    try {
      Notification n = AlertJson.notification(line, text);
      for (NotifiedAlert a : n.alerts()) {
        into.add(new AlertSeen(at, line, a.status(), a.alertname(), a.labels()));
      }
    } catch (IllegalArgumentException e) {
      // A line that is not a notification is the receiver's problem, shown by `pgha alerts`.
    }
  }
}
