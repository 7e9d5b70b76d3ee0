package io.pgha.postgres;

import static io.pgha.common.Golden.golden;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pgha.common.ScrapeContext;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From /proc files and postmaster.pid recorded on the live primary (fixtures/proc-primary): 12
 * processes, 3143 ticks of CPU, 61475 kB of Pss, checked by hand with awk (see fixtures/README.md).
 */
class PostmasterProcessCollectorTest {
  private static final Path RECORDED = Path.of("src/test/resources/fixtures/proc-primary");
  private static final long POSTMASTER = 18779;

  @TempDir Path tmp;
  private Vertx vertx;
  private final AtomicLong clock = new AtomicLong();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    copy(RECORDED, tmp);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  private PostgresTarget target(Path dataDirectory) {
    return new PostgresTarget("pgha", "pg-1", "jdbc:postgresql://127.0.3.1:5432/postgres", "127.0.3.1:5432/postgres",
        Optional.of(dataDirectory));
  }

  private PostmasterProcessCollector collector(Path dataDirectory) {
    return new PostmasterProcessCollector(List.of(target(dataDirectory)), tmp.resolve("proc"),
        Duration.ofSeconds(30), clock::get);
  }

  private String scrape(PostmasterProcessCollector collector) throws Exception {
    List<MetricSnapshot> snapshots = collector.collect(ScrapeContext.withTimeout(vertx, 5_000)).await(5, TimeUnit.SECONDS);
    return render(snapshots);
  }

  @Test
  void cpuMemoryAndProcessesOfTheRecordedPrimary() throws Exception {
    assertThat(scrape(collector(tmp.resolve("data")))).isEqualTo(golden("PostmasterProcessCollectorTest/cpuMemoryAndProcessesOfTheRecordedPrimary"));
  }

  /** Without task/<pid>/children (older kernels) the children are found by their ppid: the same figures. */
  @Test
  void withoutTheChildrenFileTheProcessesAreScannedForTheirParent() throws Exception {
    Files.delete(tmp.resolve("proc/" + POSTMASTER + "/task/" + POSTMASTER + "/children"));
    // Another program's process, and a directory whose stat is not one: neither counts.
    Files.writeString(Files.createDirectories(tmp.resolve("proc/4242")).resolve("stat"),
        "4242 (bash (login) shell) S 1 4242 4242 0 -1 4194560 500 0 0 0 3 1 0 0 20 0 1 0 100 1000 200\n");
    Files.writeString(Files.createDirectories(tmp.resolve("proc/4243")).resolve("stat"), "4243 (x) S parent\n");
    assertThat(scrape(collector(tmp.resolve("data"))))
        .isEqualTo(golden("PostmasterProcessCollectorTest/cpuMemoryAndProcessesOfTheRecordedPrimary"));
  }

  @Test
  void aStoppedInstanceOrAStalePidFileHasNoProcesses() throws Exception {
    String expected = golden("PostmasterProcessCollectorTest/aStoppedInstanceOrAStalePidFileHasNoProcesses");
    Path stopped = Files.createDirectories(tmp.resolve("stopped"));
    assertThat(scrape(collector(stopped))).isEqualTo(expected);

    Files.writeString(tmp.resolve("proc/" + POSTMASTER + "/comm"), "bash\n");
    assertThat(scrape(collector(tmp.resolve("data")))).as("pid reused by another program").isEqualTo(expected);
  }

  @Test
  void cpuNeverGoesBackWithinOnePostmasterButStartsOverWithANewOne() throws Exception {
    PostmasterProcessCollector collector = collector(tmp.resolve("data"));
    assertThat(scrape(collector)).contains("pgha_postgres_instance_cpu_seconds_total{member=\"pg-1\",scope=\"pgha\"} 31.43\n");

    // A backend exited but the postmaster has not reaped it yet: its time is briefly nowhere.
    Path children = tmp.resolve("proc/" + POSTMASTER + "/task/" + POSTMASTER + "/children");
    String all = Files.readString(children).trim();
    Files.writeString(children, all.substring(0, all.lastIndexOf(' ')) + " \n");
    assertThat(scrape(collector))
        .contains("pgha_postgres_instance_cpu_seconds_total{member=\"pg-1\",scope=\"pgha\"} 31.43\n")
        .contains("pgha_postgres_instance_processes{member=\"pg-1\",scope=\"pgha\"} 11.0\n");

    // A restarted instance: new postmaster pid, its own (lower) total.
    Files.writeString(tmp.resolve("data/postmaster.pid"), "18780\n/tmp/pgha-h3/pg-1/data\n");
    Files.writeString(Files.createDirectories(tmp.resolve("proc/18780/task/18780")).resolve("children"), "");
    String restarted = scrape(collector);
    assertThat(restarted).contains("pgha_postgres_instance_processes{member=\"pg-1\",scope=\"pgha\"} 1.0\n");
    assertThat(cpu(restarted)).isLessThan(31.43);
  }

  @Test
  void memoryIsRefreshedInTheBackgroundOnceItIsOlderThanTheInterval() throws Exception {
    PostmasterProcessCollector collector = collector(tmp.resolve("data"));
    String first = scrape(collector);
    assertThat(memory(first)).isEqualTo(62950400.0);

    Path rollup = tmp.resolve("proc/" + POSTMASTER + "/smaps_rollup");
    String text = Files.readString(rollup);
    String pss = text.lines().filter(l -> l.startsWith("Pss:")).findFirst().orElseThrow();
    long kb = Long.parseLong(pss.replaceAll("\\D", ""));
    Files.writeString(rollup, text.replace(pss, "Pss:            " + (kb + 1000) + " kB"));

    clock.addAndGet(Duration.ofSeconds(29).toNanos());
    assertThat(memory(scrape(collector))).as("fresh enough: not measured again").isEqualTo(62950400.0);

    clock.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(memory(scrape(collector))).as("stale: served while a refresh runs").isEqualTo(62950400.0);
    await().atMost(5, TimeUnit.SECONDS).until(() -> memory(scrape(collector)) == 62950400.0 + 1000 * 1024);
  }

  @Test
  void anUnreadableDataDirectoryFailsTheCollectorNamingTheTarget() throws Exception {
    Path broken = Files.createDirectories(tmp.resolve("broken/postmaster.pid"));
    PostmasterProcessCollector collector = collector(broken.getParent());
    assertThatThrownBy(() -> collector.collect(ScrapeContext.withTimeout(vertx, 5_000)).await(5, TimeUnit.SECONDS))
        .hasMessageStartingWith("pgha/pg-1 (127.0.3.1:5432/postgres): cannot read the processes of "
        + broken.getParent() + " from /proc: ");
  }

  private static double cpu(String text) {
    return value(text, PostgresMetrics.INSTANCE_CPU_SECONDS.name() + "{");
  }

  private static double memory(String text) {
    return value(text, PostgresMetrics.INSTANCE_RESIDENT_MEMORY_BYTES.name() + "{");
  }

  private static double value(String text, String prefix) {
    return Double.parseDouble(text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().split(" ")[1]);
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  @Test
  void aFileIsReadWholeWhateverItsLengthAndWhateverSizeProcReports() throws Exception {
    for (int length : new int[] {0, 1, ProcReader.READ_BUFFER_BYTES - 1, ProcReader.READ_BUFFER_BYTES,
        ProcReader.READ_BUFFER_BYTES + 1, 5 * ProcReader.READ_BUFFER_BYTES + 3}) {
      String text = "x".repeat(Math.max(0, length - 1)) + (length > 0 ? "\n" : "");
      Path file = Files.writeString(tmp.resolve("file-" + length), text);
      assertThat(ProcReader.readText(file)).isEqualTo(text);
    }
    // A real /proc file: its size is 0, its text longer than the first buffer.
    Path limits = Path.of("/proc/self/limits");
    assertThat(Files.size(limits)).isZero();
    String expected = new String(Files.readAllBytes(limits), java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(expected.length()).isGreaterThan(ProcReader.READ_BUFFER_BYTES);
    assertThat(ProcReader.readText(limits)).isEqualTo(expected);
  }

  @Test
  void aProcessEndingWhileItIsReadIsSkipped() {
    assertThat(ProcReader.ended(new java.nio.file.NoSuchFileException("/proc/1/stat"))).isTrue();
    assertThat(ProcReader.ended(new java.nio.file.FileSystemException("/proc/1/smaps_rollup", null, "No such process"))).isTrue();
    assertThat(ProcReader.ended(new java.nio.file.AccessDeniedException("/proc/1/smaps_rollup"))).isFalse();
  }

  @Test
  void statAndSmapsRollupAreReadFromTheirBytes() {
    // A backend's command name holds spaces and parentheses; tpgid (field 5) is negative.
    byte[] stat = ("4242 (postgres: pgha app 127.0.0.1(51234) idle) S 18779 18779 18779 0 -1 4194304 100 0 0 0"
        + " 12 7 3 1 20 0 1 0 50670 223973376 7749 18446744073709551615\n").getBytes(StandardCharsets.US_ASCII);
    assertThat(ProcReader.cpuTicks(stat, stat.length)).isEqualTo(12 + 7 + 3 + 1);
    // The buffer is reused: what a longer file left past the length is not read.
    byte[] reused = (new String(stat, StandardCharsets.US_ASCII) + " (x) S 1 1 1 0 0 0 0 0 0 0 900 900 900 900\n")
        .getBytes(StandardCharsets.US_ASCII);
    assertThat(ProcReader.cpuTicks(reused, stat.length)).isEqualTo(12 + 7 + 3 + 1);
    byte[] cut = "4242 (postgres) S 18779 18779 18779 0 -1 4194304 100 0 0 0 12 7".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> ProcReader.cpuTicks(cut, cut.length)).hasMessageContaining("13 fields after the command name");
    byte[] noName = "garbage".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> ProcReader.cpuTicks(noName, noName.length)).hasMessageContaining("no ')'");

    byte[] rollup = ("55d0c0000000-7ffd8f5f2000 ---p 00000000 00:00 0    [rollup]\nRss:               7749 kB\n"
        + "Pss:              61475 kB\nPss_Anon:           512 kB\n").getBytes(StandardCharsets.US_ASCII);
    assertThat(ProcReader.pssKb(rollup, rollup.length)).isEqualTo(61475);
    byte[] zombie = "".getBytes(StandardCharsets.US_ASCII);
    assertThat(ProcReader.pssKb(zombie, 0)).isZero();
  }
}
