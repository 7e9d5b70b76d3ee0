package io.pgha.lab.alerts;

import io.pgha.testkit.Recorded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationLogTest {

  @Test
  void readsEveryRecordedPayload(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("notifications.jsonl");
    Files.writeString(file, Recorded.text("alerts/notifications.jsonl"));
    NotificationLog log = NotificationLog.read(file);
    assertThat(log.exists()).isTrue();
    assertThat(log.problems()).isEmpty();
    assertThat(log.notifications()).hasSize(9);
    assertThat(log.last(2)).extracting(Notification::line).containsExactly(8, 9);
    assertThat(log.last(20)).hasSize(9);
    assertThat(log.last(0)).isEmpty();
  }

  @Test
  void aBadLineIsReportedAndSkipped(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("notifications.jsonl");
    String good = Recorded.text("alerts/notifications.jsonl").lines().findFirst().orElseThrow();
    Files.writeString(file, good + "\n\n{\"status\":\"firing\", truncated\n" + good + "\n");
    NotificationLog log = NotificationLog.read(file);
    assertThat(log.notifications()).extracting(Notification::line).containsExactly(1, 4);
    assertThat(log.problems()).singleElement().asString()
        .startsWith(file + ": line 3: not JSON: ");
  }

  @Test
  void noFileMeansNothingReceivedYet(@TempDir Path dir) throws IOException {
    NotificationLog log = NotificationLog.read(dir.resolve("missing.jsonl"));
    assertThat(log.exists()).isFalse();
    assertThat(log.notifications()).isEmpty();
  }
}
