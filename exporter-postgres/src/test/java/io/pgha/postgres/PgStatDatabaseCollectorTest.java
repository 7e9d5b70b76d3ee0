package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.PG3;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Golden text from rows recorded on a live PostgreSQL 15 cluster (see fixtures/README.md). */
class PgStatDatabaseCollectorTest {

  /** Counters per database, with the shared catalogs' row; the primary after two deadlocks and sorts spilling to temporary files. */
  @Test
  void primaryAfterDeadlocksAndTempFilesAndAReplica() {
    assertThat(render(new PgStatDatabaseCollector(null), PG3, "health-primary", PG1, "health-replica")).isEqualTo("""
        # HELP pgha_postgres_database_checksum_failures_total Data page checksum failures detected in each database since the statistics were last reset (pg_stat_database; database="(shared)" is the row of the shared catalogs). Absent when data checksums are off.
        # TYPE pgha_postgres_database_checksum_failures_total counter
        pgha_postgres_database_checksum_failures_total{database="(shared)",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_checksum_failures_total{database="(shared)",member="pg-3",scope="pgha"} 0.0
        pgha_postgres_database_checksum_failures_total{database="postgres",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_checksum_failures_total{database="postgres",member="pg-3",scope="pgha"} 0.0
        pgha_postgres_database_checksum_failures_total{database="template0",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_checksum_failures_total{database="template0",member="pg-3",scope="pgha"} 0.0
        pgha_postgres_database_checksum_failures_total{database="template1",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_checksum_failures_total{database="template1",member="pg-3",scope="pgha"} 0.0
        # HELP pgha_postgres_database_commits_total Transactions committed in each database since the statistics were last reset (pg_stat_database; database="(shared)" is the row of the shared catalogs).
        # TYPE pgha_postgres_database_commits_total counter
        pgha_postgres_database_commits_total{database="(shared)",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_commits_total{database="(shared)",member="pg-3",scope="pgha"} 0.0
        pgha_postgres_database_commits_total{database="postgres",member="pg-1",scope="pgha"} 8487.0
        pgha_postgres_database_commits_total{database="postgres",member="pg-3",scope="pgha"} 10820.0
        pgha_postgres_database_commits_total{database="template0",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_commits_total{database="template0",member="pg-3",scope="pgha"} 0.0
        pgha_postgres_database_commits_total{database="template1",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_commits_total{database="template1",member="pg-3",scope="pgha"} 923.0
        # HELP pgha_postgres_database_deadlocks_total Deadlocks detected in each database since the statistics were last reset (pg_stat_database; database="(shared)" is the row of the shared catalogs).
        # TYPE pgha_postgres_database_deadlocks_total counter
        pgha_postgres_database_deadlocks_total{database="(shared)",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_deadlocks_total{database="(shared)",member="pg-3",scope="pgha"} 0.0
        pgha_postgres_database_deadlocks_total{database="postgres",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_deadlocks_total{database="postgres",member="pg-3",scope="pgha"} 2.0
        pgha_postgres_database_deadlocks_total{database="template0",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_deadlocks_total{database="template0",member="pg-3",scope="pgha"} 0.0
        pgha_postgres_database_deadlocks_total{database="template1",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_deadlocks_total{database="template1",member="pg-3",scope="pgha"} 0.0
        # HELP pgha_postgres_database_recovery_conflicts_total Queries canceled on a replica because of conflicts with recovery, per database since the statistics were last reset (pg_stat_database; database="(shared)" is the row of the shared catalogs).
        # TYPE pgha_postgres_database_recovery_conflicts_total counter
        pgha_postgres_database_recovery_conflicts_total{database="(shared)",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_recovery_conflicts_total{database="(shared)",member="pg-3",scope="pgha"} 0.0
        pgha_postgres_database_recovery_conflicts_total{database="postgres",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_recovery_conflicts_total{database="postgres",member="pg-3",scope="pgha"} 0.0
        pgha_postgres_database_recovery_conflicts_total{database="template0",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_recovery_conflicts_total{database="template0",member="pg-3",scope="pgha"} 0.0
        pgha_postgres_database_recovery_conflicts_total{database="template1",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_recovery_conflicts_total{database="template1",member="pg-3",scope="pgha"} 0.0
        # HELP pgha_postgres_database_rollbacks_total Transactions rolled back in each database since the statistics were last reset (pg_stat_database; database="(shared)" is the row of the shared catalogs).
        # TYPE pgha_postgres_database_rollbacks_total counter
        pgha_postgres_database_rollbacks_total{database="(shared)",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_rollbacks_total{database="(shared)",member="pg-3",scope="pgha"} 0.0
        pgha_postgres_database_rollbacks_total{database="postgres",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_rollbacks_total{database="postgres",member="pg-3",scope="pgha"} 2.0
        pgha_postgres_database_rollbacks_total{database="template0",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_rollbacks_total{database="template0",member="pg-3",scope="pgha"} 0.0
        pgha_postgres_database_rollbacks_total{database="template1",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_rollbacks_total{database="template1",member="pg-3",scope="pgha"} 0.0
        # HELP pgha_postgres_database_temp_bytes_total Bytes written to temporary files by queries in each database since the statistics were last reset (pg_stat_database; database="(shared)" is the row of the shared catalogs).
        # TYPE pgha_postgres_database_temp_bytes_total counter
        pgha_postgres_database_temp_bytes_total{database="(shared)",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_temp_bytes_total{database="(shared)",member="pg-3",scope="pgha"} 276178.0
        pgha_postgres_database_temp_bytes_total{database="postgres",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_temp_bytes_total{database="postgres",member="pg-3",scope="pgha"} 1.05152E7
        pgha_postgres_database_temp_bytes_total{database="template0",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_temp_bytes_total{database="template0",member="pg-3",scope="pgha"} 0.0
        pgha_postgres_database_temp_bytes_total{database="template1",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_database_temp_bytes_total{database="template1",member="pg-3",scope="pgha"} 0.0
        """);
  }
}
