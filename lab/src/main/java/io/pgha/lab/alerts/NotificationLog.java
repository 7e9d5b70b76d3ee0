package io.pgha.lab.alerts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the pgha receiver recorded: {@code <workdir>/alerts/notifications.jsonl}, one Alertmanager
 * webhook payload per line. A bad line is reported and skipped, the others are still read.
 *
 * @param exists false when the receiver has recorded nothing yet (no file)
 * @param problems one message per unreadable line, naming it
 */
public record NotificationLog(Path file, boolean exists, List<Notification> notifications,
                              List<String> problems) {

  public NotificationLog {
    notifications = List.copyOf(notifications);
    problems = List.copyOf(problems);
  }

  /** Where the receiver of a work dir records: {@code <workdir>/alerts/notifications.jsonl}. */
  public static Path file(Path workdir) {
    return workdir.resolve("alerts").resolve("notifications.jsonl");
  }

  public static NotificationLog read(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      return new NotificationLog(file, false, List.of(), List.of());
    }
    return parse(file, lines);
  }

  static NotificationLog parse(Path file, List<String> lines) {
    List<Notification> notifications = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        notifications.add(AlertJson.notification(i + 1, lines.get(i)));
      } catch (IllegalArgumentException e) {
        problems.add(file + ": " + e.getMessage());
      }
    }
    return new NotificationLog(file, true, notifications, problems);
  }

  /** The last {@code n} notifications, oldest first. */
  public List<Notification> last(int n) {
    return notifications.subList(Math.max(0, notifications.size() - n), notifications.size());
  }
}
