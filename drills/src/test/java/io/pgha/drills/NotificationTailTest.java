package io.pgha.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationTailTest {

  private static final String FIRING = "{\"receiver\":\"pgha\",\"status\":\"firing\",\"groupLabels\":{},\"alerts\":["
      + "{\"status\":\"firing\",\"labels\":{\"alertname\":\"PghaHaproxyDown\",\"instance\":\"127.0.0.1:7001\"},"
      + "\"annotations\":{},\"startsAt\":\"2025-06-01T12:00:00Z\",\"endsAt\":\"0001-01-01T00:00:00Z\"}]}";

  @Test
  void seesOnlyNotificationsAddedSinceItStartedAndOnlyWholeLines(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("notifications.jsonl");
    Files.writeString(file, FIRING.replace("PghaHaproxyDown", "PghaOld") + "\n");
    AtomicLong clock = new AtomicLong(1000);
    Recorder<AlertSeen> seen = new Recorder<>();
    NotificationTail tail = new NotificationTail(file, clock::get, seen);

    tail.run();
    String line = FIRING + "\n";
    Files.writeString(file, line.substring(0, 40), StandardOpenOption.APPEND);
    clock.set(2000);
    tail.run();
    assertThat(seen.snapshot()).isEmpty();

    Files.writeString(file, line.substring(40) + "not json\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    clock.set(3000);
    tail.run();
    assertThat(seen.snapshot()).containsExactly(new AlertSeen(3000, 2, "firing", "PghaHaproxyDown",
        Map.of("alertname", "PghaHaproxyDown", "instance", "127.0.0.1:7001")));
  }
}
