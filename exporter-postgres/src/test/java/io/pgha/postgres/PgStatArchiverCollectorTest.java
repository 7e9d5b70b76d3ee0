package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.PG3;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Golden text from rows recorded on a live PostgreSQL 15 cluster (see fixtures/README.md). */
class PgStatArchiverCollectorTest {

  /** The primary's archive_command failing (last failure after the last success, two files waiting); the replica never archived: no timestamps. */
  @Test
  void aFailingArchiveCommandOnThePrimaryAndAReplicaThatDoesNotArchive() {
    assertThat(render(new PgStatArchiverCollector(null), PG3, "health-primary", PG1, "health-replica")).isEqualTo("""
        # HELP pgha_postgres_archiver_archived_total WAL files (and history files) archive_command archived successfully since the statistics were last reset (pg_stat_archiver).
        # TYPE pgha_postgres_archiver_archived_total counter
        pgha_postgres_archiver_archived_total{member="pg-1",scope="pgha"} 0.0
        pgha_postgres_archiver_archived_total{member="pg-3",scope="pgha"} 6.0
        # HELP pgha_postgres_archiver_failed_total Failed runs of archive_command since the statistics were last reset (pg_stat_archiver). A failing file is retried three times a minute.
        # TYPE pgha_postgres_archiver_failed_total counter
        pgha_postgres_archiver_failed_total{member="pg-1",scope="pgha"} 0.0
        pgha_postgres_archiver_failed_total{member="pg-3",scope="pgha"} 15.0
        # HELP pgha_postgres_archiver_failing 1 if the member archives (archive_mode always, or on and not in recovery) and its last archive_command failed (last failure after the last success): the archiver is stuck on a WAL file. Else 0.
        # TYPE pgha_postgres_archiver_failing gauge
        pgha_postgres_archiver_failing{member="pg-1",scope="pgha"} 0.0
        pgha_postgres_archiver_failing{member="pg-3",scope="pgha"} 1.0
        # HELP pgha_postgres_archiver_last_archived_timestamp_seconds Unix time of the last successful archive_command (pg_stat_archiver.last_archived_time); absent if none since the statistics were reset.
        # TYPE pgha_postgres_archiver_last_archived_timestamp_seconds gauge
        pgha_postgres_archiver_last_archived_timestamp_seconds{member="pg-3",scope="pgha"} 1.796534535872084E9
        # HELP pgha_postgres_archiver_last_failed_timestamp_seconds Unix time of the last failed archive_command (pg_stat_archiver.last_failed_time); absent if none since the statistics were reset.
        # TYPE pgha_postgres_archiver_last_failed_timestamp_seconds gauge
        pgha_postgres_archiver_last_failed_timestamp_seconds{member="pg-3",scope="pgha"} 1.79653539300829E9
        # HELP pgha_postgres_archiver_pending_wal_files WAL (and history) files waiting for archive_command: .ready files in pg_wal/archive_status (pg_ls_archive_statusdir()).
        # TYPE pgha_postgres_archiver_pending_wal_files gauge
        pgha_postgres_archiver_pending_wal_files{member="pg-1",scope="pgha"} 0.0
        pgha_postgres_archiver_pending_wal_files{member="pg-3",scope="pgha"} 2.0
        """);
  }
}
