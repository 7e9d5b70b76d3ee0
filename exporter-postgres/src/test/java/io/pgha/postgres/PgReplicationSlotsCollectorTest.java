package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.PG2;
import static io.pgha.postgres.Fixtures.PG3;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Golden text from rows recorded on a live PostgreSQL 15 cluster (see fixtures/README.md). */
class PgReplicationSlotsCollectorTest {

  @Test
  void slotsOfAPrimaryWithoutAndWithLaggingStandbys() {
    assertThat(render(new PgReplicationSlotsCollector(null), PG1, "primary-no-standbys", PG2, "lagging-standby-primary", PG3, "replica")).isEqualTo("""
        # HELP pgha_postgres_replication_slot_active 1 if a consumer is connected to the replication slot (pg_replication_slots.active), 0 if not.
        # TYPE pgha_postgres_replication_slot_active gauge
        pgha_postgres_replication_slot_active{member="pg-1",scope="pgha",slot_name="pg_2",slot_type="physical"} 0.0
        pgha_postgres_replication_slot_active{member="pg-1",scope="pgha",slot_name="pg_3",slot_type="physical"} 0.0
        pgha_postgres_replication_slot_active{member="pg-2",scope="pgha",slot_name="pg_2",slot_type="physical"} 1.0
        pgha_postgres_replication_slot_active{member="pg-2",scope="pgha",slot_name="pg_3",slot_type="physical"} 1.0
        # HELP pgha_postgres_replication_slot_retained_wal_bytes WAL the slot keeps from being removed: current WAL position (replayed position on a replica) minus the slot's restart_lsn, in bytes.
        # TYPE pgha_postgres_replication_slot_retained_wal_bytes gauge
        pgha_postgres_replication_slot_retained_wal_bytes{member="pg-1",scope="pgha",slot_name="pg_2",slot_type="physical"} 2359224.0
        pgha_postgres_replication_slot_retained_wal_bytes{member="pg-1",scope="pgha",slot_name="pg_3",slot_type="physical"} 2359224.0
        pgha_postgres_replication_slot_retained_wal_bytes{member="pg-2",scope="pgha",slot_name="pg_2",slot_type="physical"} 1.2420784E7
        pgha_postgres_replication_slot_retained_wal_bytes{member="pg-2",scope="pgha",slot_name="pg_3",slot_type="physical"} 0.0
        # HELP pgha_postgres_replication_slot_wal_status Availability of the WAL the slot needs (pg_replication_slots.wal_status): reserved, extended, unreserved (about to be lost), lost (the consumer cannot catch up), other (none reserved yet); 1 for the current one.
        # TYPE pgha_postgres_replication_slot_wal_status gauge
        pgha_postgres_replication_slot_wal_status{member="pg-1",scope="pgha",slot_name="pg_2",slot_type="physical",wal_status="extended"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-1",scope="pgha",slot_name="pg_2",slot_type="physical",wal_status="lost"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-1",scope="pgha",slot_name="pg_2",slot_type="physical",wal_status="other"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-1",scope="pgha",slot_name="pg_2",slot_type="physical",wal_status="reserved"} 1.0
        pgha_postgres_replication_slot_wal_status{member="pg-1",scope="pgha",slot_name="pg_2",slot_type="physical",wal_status="unreserved"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-1",scope="pgha",slot_name="pg_3",slot_type="physical",wal_status="extended"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-1",scope="pgha",slot_name="pg_3",slot_type="physical",wal_status="lost"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-1",scope="pgha",slot_name="pg_3",slot_type="physical",wal_status="other"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-1",scope="pgha",slot_name="pg_3",slot_type="physical",wal_status="reserved"} 1.0
        pgha_postgres_replication_slot_wal_status{member="pg-1",scope="pgha",slot_name="pg_3",slot_type="physical",wal_status="unreserved"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-2",scope="pgha",slot_name="pg_2",slot_type="physical",wal_status="extended"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-2",scope="pgha",slot_name="pg_2",slot_type="physical",wal_status="lost"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-2",scope="pgha",slot_name="pg_2",slot_type="physical",wal_status="other"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-2",scope="pgha",slot_name="pg_2",slot_type="physical",wal_status="reserved"} 1.0
        pgha_postgres_replication_slot_wal_status{member="pg-2",scope="pgha",slot_name="pg_2",slot_type="physical",wal_status="unreserved"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-2",scope="pgha",slot_name="pg_3",slot_type="physical",wal_status="extended"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-2",scope="pgha",slot_name="pg_3",slot_type="physical",wal_status="lost"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-2",scope="pgha",slot_name="pg_3",slot_type="physical",wal_status="other"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-2",scope="pgha",slot_name="pg_3",slot_type="physical",wal_status="reserved"} 1.0
        pgha_postgres_replication_slot_wal_status{member="pg-2",scope="pgha",slot_name="pg_3",slot_type="physical",wal_status="unreserved"} 0.0
        """);
  }
}
