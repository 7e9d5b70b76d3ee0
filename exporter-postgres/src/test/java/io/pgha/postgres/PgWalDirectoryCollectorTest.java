package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.PG3;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Golden text from rows recorded on a live PostgreSQL 15 cluster (see fixtures/README.md). */
class PgWalDirectoryCollectorTest {

  /** pg_wal of the primary (holding WAL for the failing archiver) and of a replica. */
  @Test
  void primaryAndReplica() {
    assertThat(render(new PgWalDirectoryCollector(null), PG3, "health-primary", PG1, "health-replica")).isEqualTo("""
        # HELP pgha_postgres_wal_directory_bytes Total size of the files in pg_wal (pg_ls_waldir()): WAL kept for replicas, slots, archiving and recycling.
        # TYPE pgha_postgres_wal_directory_bytes gauge
        pgha_postgres_wal_directory_bytes{member="pg-1",scope="pgha"} 1.00663296E8
        pgha_postgres_wal_directory_bytes{member="pg-3",scope="pgha"} 1.00663634E8
        # HELP pgha_postgres_wal_directory_files Number of files in pg_wal (pg_ls_waldir()).
        # TYPE pgha_postgres_wal_directory_files gauge
        pgha_postgres_wal_directory_files{member="pg-1",scope="pgha"} 6.0
        pgha_postgres_wal_directory_files{member="pg-3",scope="pgha"} 7.0
        """);
  }
}
