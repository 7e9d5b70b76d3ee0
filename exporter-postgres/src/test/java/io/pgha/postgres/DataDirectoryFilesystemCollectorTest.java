package io.pgha.postgres;

import static io.pgha.common.Golden.golden;
import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.PG2;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.common.ScrapeContext;
import io.pgha.postgres.DataDirectoryFilesystemCollector.Space;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Vertx;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryFilesystemCollectorTest {
  private final Vertx vertx = Vertx.vertx();
  @TempDir Path tmp;

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void dataAndWalFileSystemsOfEachMember() {
    Map<PostgresTarget, Map<String, Space>> spaces = new LinkedHashMap<>();
    spaces.put(PG1, Map.of(DataDirectoryFilesystemCollector.DATA, new Space(7.0e10, 1.0e11),
        DataDirectoryFilesystemCollector.WAL, new Space(2.0e9, 1.0e10)));
    assertThat(Fixtures.render(DataDirectoryFilesystemCollector.snapshots(spaces))).isEqualTo(golden("DataDirectoryFilesystemCollectorTest/dataAndWalFileSystemsOfEachMember"));
  }

  /** pg_wal behind a symlink is measured where it points; a member without a data directory is skipped. */
  @Test
  void readsTheKernelsFiguresFollowingTheWalSymlinkAndSkipsAMissingDataDirectory() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path wal = Files.createDirectories(tmp.resolve("elsewhere/pg_wal"));
    Files.createSymbolicLink(data.resolve("pg_wal"), wal);
    PostgresTarget present = new PostgresTarget("pgha", "pg-1", PG1.jdbcUrl(), PG1.address(), Optional.of(data));
    PostgresTarget missing = new PostgresTarget("pgha", "pg-2", PG2.jdbcUrl(), PG2.address(),
        Optional.of(tmp.resolve("not-created")));
    PostgresTarget remote = PG1;
    DataDirectoryFilesystemCollector collector = new DataDirectoryFilesystemCollector(List.of(present, missing, remote));

    List<MetricSnapshot> snapshots = collector.collect(ScrapeContext.withTimeout(vertx, 5000))
        .await(10, TimeUnit.SECONDS);

    FileStore store = Files.getFileStore(tmp);
    String text = Fixtures.render(snapshots);
    assertThat(text)
        .contains("pgha_postgres_filesystem_size_bytes{directory=\"data\",member=\"pg-1\",scope=\"pgha\"} "
            + (double) store.getTotalSpace() + "\n")
        .contains("pgha_postgres_filesystem_size_bytes{directory=\"wal\",member=\"pg-1\",scope=\"pgha\"} "
            + (double) store.getTotalSpace() + "\n")
        .contains("pgha_postgres_filesystem_available_bytes{directory=\"wal\",member=\"pg-1\",scope=\"pgha\"}")
        .doesNotContain("member=\"pg-2\"");
    assertThat(collector.hasTargets()).isTrue();
    assertThat(new DataDirectoryFilesystemCollector(List.of(remote)).hasTargets()).isFalse();
  }

  /**
   * The file store of each directory is kept between scrapes; a pg_wal link pointing elsewhere, or a
   * data directory removed and made again (Patroni rebuilding the member), is measured where it is now.
   */
  @Test
  void aRelinkedWalOrARemadeDataDirectoryIsMeasuredWhereItIsNow() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path link = data.resolve("pg_wal");
    Path wal = Files.createDirectories(tmp.resolve("wal"));
    Files.createSymbolicLink(link, wal);
    PostgresTarget target = new PostgresTarget("pgha", "pg-1", PG1.jdbcUrl(), PG1.address(), Optional.of(data));
    DataDirectoryFilesystemCollector collector = new DataDirectoryFilesystemCollector(List.of(target));
    double tmpSize = Files.getFileStore(tmp).getTotalSpace();
    assertThat(tmpSize).isPositive();
    assertThat(size(collector, "wal")).isEqualTo(tmpSize);

    // pg_wal moved to another file system: /proc here, whose size is 0.
    Files.delete(link);
    Files.createSymbolicLink(link, Path.of("/proc"));
    assertThat(size(collector, "wal")).isZero();
    assertThat(size(collector, "data")).isEqualTo(tmpSize);

    Files.delete(link);
    Files.delete(data);
    assertThat(render(collector)).doesNotContain("member=\"pg-1\"");
    Files.createDirectories(data);
    Files.createSymbolicLink(link, wal);
    assertThat(size(collector, "data")).isEqualTo(tmpSize);
    assertThat(size(collector, "wal")).isEqualTo(tmpSize);
  }

  private String render(DataDirectoryFilesystemCollector collector) throws Exception {
    return Fixtures.render(collector.collect(ScrapeContext.withTimeout(vertx, 5000)).await(10, TimeUnit.SECONDS));
  }

  private double size(DataDirectoryFilesystemCollector collector, String directory) throws Exception {
    String prefix = "pgha_postgres_filesystem_size_bytes{directory=\"" + directory + "\",member=\"pg-1\",scope=\"pgha\"} ";
    return Double.parseDouble(render(collector).lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix)).substring(prefix.length()));
  }
}
