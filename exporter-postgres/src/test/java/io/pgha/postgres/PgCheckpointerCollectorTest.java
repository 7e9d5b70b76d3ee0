package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.PG3;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Golden text from rows recorded on a live PostgreSQL 15 cluster (see fixtures/README.md). */
class PgCheckpointerCollectorTest {

  /** pg_stat_bgwriter on PostgreSQL 15: the replica's are restartpoints. */
  @Test
  void primaryAndReplicaOnPostgres15() {
    assertThat(render(new PgCheckpointerCollector(null), PG3, "health-primary", PG1, "health-replica")).isEqualTo("""
        # HELP pgha_postgres_checkpoint_buffers_written_total Shared buffers written by checkpoints since the statistics were last reset (pg_stat_bgwriter up to PostgreSQL 16, pg_stat_checkpointer from 17; on a replica these are restartpoints).
        # TYPE pgha_postgres_checkpoint_buffers_written_total counter
        pgha_postgres_checkpoint_buffers_written_total{member="pg-1",scope="pgha"} 170.0
        pgha_postgres_checkpoint_buffers_written_total{member="pg-3",scope="pgha"} 188.0
        # HELP pgha_postgres_checkpoint_sync_seconds_total Time checkpoints spent syncing files to disk since the statistics were last reset (pg_stat_bgwriter up to PostgreSQL 16, pg_stat_checkpointer from 17; on a replica these are restartpoints).
        # TYPE pgha_postgres_checkpoint_sync_seconds_total counter
        pgha_postgres_checkpoint_sync_seconds_total{member="pg-1",scope="pgha"} 0.112
        pgha_postgres_checkpoint_sync_seconds_total{member="pg-3",scope="pgha"} 0.082
        # HELP pgha_postgres_checkpoint_write_seconds_total Time checkpoints spent writing buffers to files since the statistics were last reset (pg_stat_bgwriter up to PostgreSQL 16, pg_stat_checkpointer from 17; on a replica these are restartpoints).
        # TYPE pgha_postgres_checkpoint_write_seconds_total counter
        pgha_postgres_checkpoint_write_seconds_total{member="pg-1",scope="pgha"} 19.251
        pgha_postgres_checkpoint_write_seconds_total{member="pg-3",scope="pgha"} 18.6
        # HELP pgha_postgres_checkpoints_total Checkpoints started, by trigger: timed (checkpoint_timeout passed) or requested (WAL reached max_wal_size, CHECKPOINT, a backup, a shutdown) since the statistics were last reset (pg_stat_bgwriter up to PostgreSQL 16, pg_stat_checkpointer from 17; on a replica these are restartpoints).
        # TYPE pgha_postgres_checkpoints_total counter
        pgha_postgres_checkpoints_total{member="pg-1",scope="pgha",trigger="requested"} 0.0
        pgha_postgres_checkpoints_total{member="pg-1",scope="pgha",trigger="timed"} 22.0
        pgha_postgres_checkpoints_total{member="pg-3",scope="pgha",trigger="requested"} 2.0
        pgha_postgres_checkpoints_total{member="pg-3",scope="pgha",trigger="timed"} 3.0
        """);
  }
}
