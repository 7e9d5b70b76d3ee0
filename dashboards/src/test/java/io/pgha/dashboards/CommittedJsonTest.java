package io.pgha.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON files users load must be exactly what the code generates. */
class CommittedJsonTest {

  @Test
  void committedFilesEqualTheGeneratedJson() throws IOException {
    StringBuilder drift = new StringBuilder();
    for (Dashboard d : Dashboards.all()) {
      Path file = CommittedDashboards.dir().resolve(d.fileName());
      String generated = Json.pretty(d.toJson());
      if (!Files.exists(file)) {
        drift.append(file).append(": missing\n");
        continue;
      }
      String committed = Files.readString(file);
      if (!committed.equals(generated)) {
        drift.append(file).append(": ").append(firstDifference(committed, generated)).append('\n');
      }
    }
    if (!drift.isEmpty()) {
      fail("Committed dashboards differ from the code:\n" + drift
          + "Regenerate them with\n    " + CommittedDashboards.REGENERATE
          + "\nthen review and commit the diff of dashboards/json/.");
    }
  }

  @Test
  void everyCommittedFileComesFromTheCode() {
    List<String> generated = Dashboards.all().stream().map(Dashboard::fileName).sorted().toList();
    List<String> committed = CommittedDashboards.files().stream().map(p -> p.getFileName().toString()).toList();
    assertThat(committed)
        .as("files in %s that no dashboard definition generates (delete them, or add the definition)",
            CommittedDashboards.dir())
        .containsExactlyElementsOf(generated);
  }

  @Test
  void differenceIsReportedByLine() {
    assertThat(firstDifference("a\nb\nc\n", "a\nB\nc\n"))
        .isEqualTo("first difference at line 2: committed 'b', generated 'B'");
    assertThat(firstDifference("a\n", "a\nb\n")).isEqualTo("first difference at line 2: committed '', generated 'b'");
  }

  static String firstDifference(String committed, String generated) {
    String[] a = committed.split("\n", -1);
    String[] b = generated.split("\n", -1);
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String x = i < a.length ? a[i] : "";
      String y = i < b.length ? b[i] : "";
      if (!x.equals(y)) {
        return "first difference at line " + (i + 1) + ": committed '" + x.strip() + "', generated '" + y.strip() + "'";
      }
    }
    return "differs";
  }
}
