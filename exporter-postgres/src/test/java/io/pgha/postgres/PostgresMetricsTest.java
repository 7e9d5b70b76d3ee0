package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.PG2;
import static io.pgha.postgres.Fixtures.PG3;

import io.pgha.common.DeclaredFamilies;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The declared families: documented as declared, and the only way the collectors write. */
class PostgresMetricsTest {

  @Test
  void everyFamilyIsInDocsMetricsMdWithItsTypeAndLabels() {
    DeclaredFamilies.assertDeclaredAndDocumented(PostgresExporter.NAME, PostgresMetrics.class, PostgresMetrics.ALL);
  }

  @Test
  void theCollectorsWriteOnlyDeclaredFamiliesAndEveryOneOfThem() {
    List<MetricSnapshot> written = new ArrayList<>();
    List<SqlCollector<?>> sql = List.of(new PgRecoveryCollector(null), new PgStatReplicationCollector(null),
        new PgStatWalReceiverCollector(null), new PgReplicationSlotsCollector(null), new PgStatActivityCollector(null),
        new PgStatWalCollector(null), new PgDatabaseCollector(null, Duration.ofMinutes(5), System::nanoTime));
    for (SqlCollector<?> collector : sql) {
      written.addAll(Fixtures.snapshots(collector, PG1, "lagging-standby-primary", PG2, "lagging-standby-replica",
          PG3, "replica"));
    }
    List<SqlCollector<?>> health = List.of(new PgSettingsCollector(null), new PgStatArchiverCollector(null),
        new PgWalDirectoryCollector(null), new PgDatabaseAgeCollector(null), new PgTransactionAgeCollector(null),
        new PgStatDatabaseCollector(null), new PgCheckpointerCollector(null), new PgReplicationSlotsCollector(null));
    for (SqlCollector<?> collector : health) {
      written.addAll(Fixtures.snapshots(collector, PG3, "health-primary", PG1, "health-replica"));
    }
    written.addAll(DataDirectoryFilesystemCollector.snapshots(Map.of(PG1, Map.of(
        DataDirectoryFilesystemCollector.DATA, new DataDirectoryFilesystemCollector.Space(1e9, 1e10),
        DataDirectoryFilesystemCollector.WAL, new DataDirectoryFilesystemCollector.Space(1e9, 1e10)))));
    written.addAll(PgConnectionCollector.snapshots(List.of(TargetSample.up(PG1, Map.of()), TargetSample.down(PG2, "refused"))));
    written.addAll(PostmasterProcessCollector.snapshots(Map.of(
        PG1, new PostmasterProcessCollector.Usage(18779, 12, 31.43, 62950400.0),
        PG2, PostmasterProcessCollector.Usage.NOT_RUNNING)));

    DeclaredFamilies.assertWritesEveryFamily(PostgresExporter.NAME, written, PostgresMetrics.ALL);
  }
}
