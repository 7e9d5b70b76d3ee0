package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.PG2;
import static io.pgha.postgres.Fixtures.PG3;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Golden text from rows recorded on a live PostgreSQL 15 cluster (see fixtures/README.md). */
class PgRecoveryCollectorTest {

  @Test
  void primaryReplicaAndPausedReplica() {
    assertThat(render(new PgRecoveryCollector(null), PG1, "primary", PG2, "replica", PG3, "lagging-standby-replica")).isEqualTo("""
        # HELP pgha_postgres_in_recovery 1 if the member is in recovery (a replica or standby leader), 0 if it is a primary: pg_is_in_recovery().
        # TYPE pgha_postgres_in_recovery gauge
        pgha_postgres_in_recovery{member="pg-1",scope="pgha"} 0.0
        pgha_postgres_in_recovery{member="pg-2",scope="pgha"} 1.0
        pgha_postgres_in_recovery{member="pg-3",scope="pgha"} 1.0
        # HELP pgha_postgres_replica_last_replay_age_seconds On a replica: seconds since the commit time of the last transaction replayed, now() - pg_last_xact_replay_timestamp(). It also grows while the primary is idle (nothing to replay), so never alert on it alone: combine it with the lag in bytes.
        # TYPE pgha_postgres_replica_last_replay_age_seconds gauge
        pgha_postgres_replica_last_replay_age_seconds{member="pg-2",scope="pgha"} 0.015797
        pgha_postgres_replica_last_replay_age_seconds{member="pg-3",scope="pgha"} 22.744291
        # HELP pgha_postgres_replica_replay_lag_bytes On a replica: WAL received but not yet replayed, pg_last_wal_receive_lsn() - pg_last_wal_replay_lsn(), in bytes. Absent on a primary and before the replica has received anything by streaming.
        # TYPE pgha_postgres_replica_replay_lag_bytes gauge
        pgha_postgres_replica_replay_lag_bytes{member="pg-2",scope="pgha"} 0.0
        pgha_postgres_replica_replay_lag_bytes{member="pg-3",scope="pgha"} 2.103124E7
        # HELP pgha_postgres_replica_replay_paused On a replica: 1 if WAL replay is paused or a pause is requested (pg_get_wal_replay_pause_state()), else 0.
        # TYPE pgha_postgres_replica_replay_paused gauge
        pgha_postgres_replica_replay_paused{member="pg-2",scope="pgha"} 0.0
        pgha_postgres_replica_replay_paused{member="pg-3",scope="pgha"} 1.0
        # HELP pgha_postgres_timeline Timeline the member is on: a primary's current timeline, a replica's received (or last restartpoint's) timeline.
        # TYPE pgha_postgres_timeline gauge
        pgha_postgres_timeline{member="pg-1",scope="pgha"} 1.0
        pgha_postgres_timeline{member="pg-2",scope="pgha"} 1.0
        pgha_postgres_timeline{member="pg-3",scope="pgha"} 1.0
        # HELP pgha_postgres_wal_position_bytes Current WAL position in bytes: pg_current_wal_lsn() on a primary, pg_last_wal_replay_lsn() on a replica.
        # TYPE pgha_postgres_wal_position_bytes gauge
        pgha_postgres_wal_position_bytes{member="pg-1",scope="pgha"} 1.38055344E8
        pgha_postgres_wal_position_bytes{member="pg-2",scope="pgha"} 1.39784664E8
        pgha_postgres_wal_position_bytes{member="pg-3",scope="pgha"} 1.46241744E8
        """);
  }
}
