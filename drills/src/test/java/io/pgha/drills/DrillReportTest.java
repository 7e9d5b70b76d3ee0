package io.pgha.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report and the console table of two drills against golden text. */
class DrillReportTest {

  private static List<DrillResult> results() {
    DrillResult kill = DrillJudge.result(new LeaderKillDrill(),
        LeaderKillVerdictTest.failover(15_200, LeaderKillVerdictTest.plan(false)).lost(1).build());
    DrillResult haproxy = DrillJudge.result(new HaproxyDownDrill(), RecordingBuilder.of(DrillKind.HAPROXY_DOWN)
        .target("haproxy").times(3_000, 5_000, 55_000, 58_000, 60_000)
        .writes(0, 5_000, "pg-1").writes(5_020, 55_500, null).writes(55_500, 60_000, "pg-1")
        .key(0, 60_000, "pg-1", true).position("pg-1", 0, 60_000, true, 1_000_000, 300)
        .route(0, 5_000, "pg-1").route(55_100, 60_000, "pg-1")
        .metric(MetricsSample.patroni("pg-1"), 0, 60_000).metric(MetricsSample.patroni("pg-2"), 0, 60_000)
        .metric(MetricsSample.patroni("pg-3"), 0, 60_000)
        .end("pg-1", "pg-2", "pg-3").build());
    return List.of(kill, haproxy);
  }

  private static final DrillReport.Context CONTEXT = new DrillReport.Context("Cluster `/tmp/pgha-drills` (offset "
      + "14000): Patroni ttl 10 s, loop_wait 2 s, retry_timeout 4 s; HAProxy checks `inter 1s`.",
      RecordingBuilder.T0, 123_456);

  @Test
  void reportMatchesTheGoldenText() {
    String md = DrillReport.markdown(results(), CONTEXT);
    assertThat(md).isEqualTo(Golden.expect("report.md", md));
  }

  @Test
  void consoleTableMatchesTheGoldenText() {
    String table = DrillText.table(results());
    assertThat(table).isEqualTo(Golden.expect("table.txt", table));
  }

  @Test
  void writesTheReportOneSvgAndOneOperationsFilePerDrill(@TempDir Path dir) throws Exception {
    Path report = DrillReport.write(dir, results(), CONTEXT);

    assertThat(report).isEqualTo(dir.resolve("report.md"));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("haproxy-down-operations.tsv",
          "haproxy-down.svg", "leader-kill-operations.tsv", "leader-kill.svg", "report.md");
    }
    assertThat(Files.readString(dir.resolve("leader-kill.svg"))).startsWith("<svg ").endsWith("</svg>\n");
    List<String> ops = Files.readAllLines(dir.resolve("haproxy-down-operations.tsv"));
    assertThat(ops.get(1)).isEqualTo("started\tended\tkind\toutcome\tmember\terror");
    assertThat(ops.get(2)).isEqualTo("-5002\t-5000\twrite\tok\tpg-1\t");
    assertThat(ops).contains("18\t20\twrite\tfailed\t\t08001 Connection to 127.0.0.1:5000 refused");
  }

  @Test
  void aMissingAlertShowsInTheTableCell() {
    assertThat(DrillTable.alerts(List.of(new AlertDelivery("PghaHaproxyDown", Map.of(), true,
        java.util.OptionalLong.empty(), false)))).isEqualTo("PghaHaproxyDown NOT delivered");
  }
}
