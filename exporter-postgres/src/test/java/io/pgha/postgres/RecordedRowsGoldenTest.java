package io.pgha.postgres;

import static io.pgha.common.Golden.golden;
import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.PG2;
import static io.pgha.postgres.Fixtures.PG3;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden text of every SQL collector from rows recorded on a live PostgreSQL 15 cluster (and, for
 * 13, 16 and 17, written from each version's documentation; see fixtures/README.md): the whole
 * exposition, HELP and TYPE lines included, in {@code golden/<collector>/<case>.prom}.
 */
class RecordedRowsGoldenTest {

  /** What {@code collector} makes of each target's recorded scenario, expected as in {@code golden}. */
  record Case(String golden, SqlCollector<?> collector, Object... targetsAndScenarios) {
    @Override
    public String toString() {
      return golden;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        // pg_stat_bgwriter on PostgreSQL 15: the replica's are restartpoints.
        new Case("PgCheckpointerCollector/primaryAndReplicaOnPostgres15", new PgCheckpointerCollector(null), PG3, "health-primary", PG1, "health-replica"),
        // Every database, template0 included; the ratio is the oldest age over 2^31 (37 / 2^31 on the primary).
        new Case("PgDatabaseAgeCollector/primaryAndReplica", new PgDatabaseAgeCollector(null), PG3, "health-primary", PG1, "health-replica"),
        new Case("PgDatabaseCollector/sizes", new PgDatabaseCollector(null, Duration.ofMinutes(5), System::nanoTime), PG1, "primary"),
        new Case("PgRecoveryCollector/primaryReplicaAndPausedReplica", new PgRecoveryCollector(null), PG1, "primary", PG2, "replica", PG3, "lagging-standby-replica"),
        new Case("PgReplicationSlotsCollector/slotsOfAPrimaryWithoutAndWithLaggingStandbys", new PgReplicationSlotsCollector(null), PG1, "primary-no-standbys", PG2, "lagging-standby-primary", PG3, "replica"),
        // With max_slot_wal_keep_size (1GB) and hot_standby_feedback on: safe WAL left and the standbys' xmin.
        new Case("PgReplicationSlotsCollector/safeWalAndXminOfSlotsWithALimitAndHotStandbyFeedback", new PgReplicationSlotsCollector(null), PG3, "health-primary", PG1, "health-replica"),
        // What each member runs, recorded on PostgreSQL 15 with archive_mode on.
        new Case("PgSettingsCollector/primaryAndReplica", new PgSettingsCollector(null), PG3, "health-primary", PG1, "health-replica"),
        new Case("PgStatActivityCollector/primaryAndReplica", new PgStatActivityCollector(null), PG1, "primary", PG2, "replica"),
        // The primary's archive_command failing (last failure after the last success, two files waiting); the replica never archived: no timestamps.
        new Case("PgStatArchiverCollector/aFailingArchiveCommandOnThePrimaryAndAReplicaThatDoesNotArchive", new PgStatArchiverCollector(null), PG3, "health-primary", PG1, "health-replica"),
        // Counters per database, with the shared catalogs' row; the primary after two deadlocks and sorts spilling to temporary files.
        new Case("PgStatDatabaseCollector/primaryAfterDeadlocksAndTempFilesAndAReplica", new PgStatDatabaseCollector(null), PG3, "health-primary", PG1, "health-replica"),
        new Case("PgStatReplicationCollector/primaryWithTwoStreamingStandbys", new PgStatReplicationCollector(null), PG1, "primary", PG2, "replica"),
        new Case("PgStatReplicationCollector/laggingStandbys", new PgStatReplicationCollector(null), PG1, "lagging-standby-primary"),
        new Case("PgStatReplicationCollector/idlePrimary", new PgStatReplicationCollector(null), PG1, "primary-idle"),
        new Case("PgStatReplicationCollector/primaryWithoutStandbys", new PgStatReplicationCollector(null), PG1, "primary-no-standbys"),
        new Case("PgStatWalCollector/primaryAndReplica", new PgStatWalCollector(null), PG1, "primary", PG2, "replica"),
        new Case("PgStatWalReceiverCollector/primaryAndReplica", new PgStatWalReceiverCollector(null), PG1, "primary", PG2, "replica"),
        // Two sessions idle in transaction on the primary, one of them aborted (counted from when it went idle); every state present, 0 without a transaction.
        new Case("PgTransactionAgeCollector/sessionsIdleInTransactionOnThePrimary", new PgTransactionAgeCollector(null), PG3, "health-primary", PG1, "health-replica"),
        // pg_wal of the primary (holding WAL for the failing archiver) and of a replica.
        new Case("PgWalDirectoryCollector/primaryAndReplica", new PgWalDirectoryCollector(null), PG3, "health-primary", PG1, "health-replica"),
        // 17 counts restartpoints apart: the statement adds them, so a replica's count goes on as before.
        new Case("PgCheckpointerCollector/postgres17PrimaryAndReplica", new PgCheckpointerCollector(null), PG1, "pg17-primary", PG2, "pg17-replica"),
        // The wraparound path: a database far behind, its multixacts further still.
        new Case("PgDatabaseAgeCollector/nearWraparound", new PgDatabaseAgeCollector(null), PG1, "wraparound-primary"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void goldenText(Case c) {
    assertThat(render(c.collector(), c.targetsAndScenarios())).isEqualTo(golden(c.golden()));
  }
}
