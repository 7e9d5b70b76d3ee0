package io.pgha.drills;

import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The report of a set of drills: {@code report.md} with the table of drills and a section per drill
 * (its checks, figures and timeline), one {@code <drill>.svg} timeline and one {@code <drill>-operations.tsv}
 * (every traffic operation) per drill. The text is pure.
 */
public final class DrillReport {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);

  /**
   * @param cluster one line about the cluster (work dir, Patroni timing, HAProxy checks)
   * @param startedAtMillis when the first drill began
   * @param tookMillis how long all drills took
   */
  public record Context(String cluster, long startedAtMillis, long tookMillis) {
  }

  private DrillReport() {
  }

  /** The report's line about the cluster: its work dir, Patroni's timing and HAProxy's checks. */
  public static String describe(ClusterControl control) {
    Topology t = control.topology();
    var config = control.config();
    return "Cluster `" + t.workdir() + "` (offset " + t.offset() + "): Patroni ttl " + config.path("ttl").asText()
        + " s, loop_wait " + config.path("loop_wait").asText() + " s, retry_timeout "
        + config.path("retry_timeout").asText() + " s; HAProxy checks `" + haproxyChecks(t) + "`.";
  }

  /** The default-server line of the running HAProxy's configuration. */
  static String haproxyChecks(Topology t) {
    try {
      return Files.readAllLines(t.workdirPath().resolve("config").resolve("haproxy.cfg"), StandardCharsets.UTF_8)
          .stream().map(String::strip).filter(l -> l.startsWith("default-server")).findFirst()
          .map(l -> l.substring("default-server".length()).strip()).orElse("(none)");
    } catch (IOException e) {
      return "(unreadable)";
    }
  }

  /** Writes report.md and the SVGs into {@code dir}; returns the report's path. */
  public static Path write(Path dir, List<DrillResult> results, Context context) throws IOException {
    Files.createDirectories(dir);
    for (DrillResult r : results) {
      Files.writeString(dir.resolve(r.plan().id() + ".svg"), TimelineSvg.render(Timeline.of(r)), StandardCharsets.UTF_8);
      Files.writeString(dir.resolve(r.plan().id() + "-operations.tsv"), operations(r.recording()), StandardCharsets.UTF_8);
    }
    Path report = dir.resolve("report.md");
    Files.writeString(report, markdown(results, context), StandardCharsets.UTF_8);
    return report;
  }

  public static String markdown(List<DrillResult> results, Context context) {
    StringBuilder md = new StringBuilder();
    long passed = results.stream().filter(DrillResult::passed).count();
    md.append("# pgha fault drills\n\n");
    md.append(context.cluster()).append("\n\n");
    md.append("Started ").append(TIME.format(Instant.ofEpochMilli(context.startedAtMillis()))).append(", took ")
        .append(duration(context.tookMillis())).append(". **").append(passed).append(" of ").append(results.size())
        .append(" drills passed.**\n\n");
    md.append(row(DrillTable.HEADER));
    md.append(row(DrillTable.HEADER.stream().map(h -> "---").toList()));
    for (DrillResult r : results) {
      List<String> cells = new java.util.ArrayList<>(DrillTable.row(r));
      cells.set(0, "[" + cells.get(0) + "](#" + r.plan().id() + ")");
      cells.set(1, r.passed() ? "**PASS**" : "**" + cells.get(1) + "**");
      md.append(row(cells));
    }
    md.append("""

        Times count from the fault (for the switchover: the request). A write outage runs from the last write
        acknowledged before failed writes to the first acknowledged after them (traffic: 25 writes and 25 reads
        a second through HAProxy). The exporters (pgha's and each Patroni's own `/metrics`) were polled every
        250 ms, each member's PostgreSQL and the leader key every 100 ms, the receiver's notifications every
        250 ms. "Writes lost" are acknowledged writes missing on the primary afterwards (the traffic ledger);
        a `+` marks an alert that came along without being expected; "already firing" alerts were active
        before the fault, and Alertmanager does not notify again for the same labels. Every write records
        the timeline it went to: the split-brain window is how long writes on an older timeline were still
        acknowledged after the first write on a newer one (two primaries taking writes at once; expected
        0 ms). The leader-partition drills also hold a session straight to the old leader (10 writes a
        second, not through HAProxy), whose writes show until when it took writes.
        """);
    for (DrillResult r : results) {
      section(md, r);
    }
    return md.toString();
  }

  private static void section(StringBuilder md, DrillResult r) {
    DrillRecording rec = r.recording();
    md.append("\n## <a id=\"").append(r.plan().id()).append("\"></a>").append(r.plan().title()).append("\n\n");
    md.append(r.passed() ? "**PASS**" : "**FAIL**").append(": ").append(r.plan().kind().fault()).append(" (")
        .append(rec.target()).append("); leader before ").append(rec.facts().leaderBefore()).append(", after ")
        .append(rec.leaderAtEnd() == null ? "unknown" : rec.leaderAtEnd()).append(".\n\n");
    md.append("![timeline of ").append(r.plan().title()).append("](").append(r.plan().id()).append(".svg)\n\n");
    md.append(row(List.of("check", "expected", "measured", "result")));
    md.append(row(List.of("---", "---", "---", "---")));
    for (Check c : r.checks()) {
      md.append(row(List.of((c.goal() ? "goal: " : "") + c.name(), c.expected(), c.measured(), result(c))));
    }
    if (!r.figures().more().isEmpty() || r.figures().wal().isPresent()) {
      md.append('\n');
      for (Figure f : r.figures().more()) {
        md.append("- ").append(f.name()).append(": ").append(f.value()).append('\n');
      }
      r.figures().wal().ifPresent(w -> md.append("- WAL the old leader had beyond the switch position: ")
          .append(w.describe()).append(" per `/history`)\n"));
    }
    if (!rec.problems().isEmpty()) {
      md.append("\nProblems running the drill:\n\n");
      rec.problems().forEach(p -> md.append("- ").append(p).append('\n'));
    }
  }

  /** Every traffic operation of a drill, for a closer look than the picture gives. */
  static String operations(DrillRecording r) {
    StringBuilder tsv = new StringBuilder("# times in ms from the fault; an operation belongs to when it ended\n");
    tsv.append("started\tended\tkind\toutcome\tmember\terror\n");
    for (io.pgha.traffic.OperationOutcome o : r.outcomes()) {
      tsv.append(o.startedAtMillis() - r.faultAtMillis()).append('\t').append(o.endedAtMillis() - r.faultAtMillis())
          .append('\t').append(o.isWrite() ? "write" : "read").append('\t').append(o.ok() ? "ok" : "failed")
          .append('\t').append(o.member() == null ? "" : o.member()).append('\t')
          .append(o.error() == null ? "" : o.error().replace('\t', ' ').replace('\n', ' ')).append('\n');
    }
    return tsv.toString();
  }

  private static String result(Check c) {
    return switch (c.status()) {
      case PASS -> c.goal() ? "goal met" : "ok";
      case FAIL -> c.goal() ? "goal missed" : "**MISSED**";
      case NOT_MEASURED -> "not measured";
    };
  }

  private static String row(List<String> cells) {
    StringBuilder s = new StringBuilder("|");
    for (String c : cells) {
      s.append(' ').append(c.replace("|", "\\|").replace("\n", " ")).append(" |");
    }
    return s.append('\n').toString();
  }

  public static String duration(long millis) {
    long s = Math.round(millis / 1000.0);
    return s < 60 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
  }
}
