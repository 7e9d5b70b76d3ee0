package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.PG2;
import static io.pgha.postgres.Fixtures.PG3;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.postgres.PgReplicationSlotsCollector.SlotRow;
import java.util.List;
import java.util.Map;
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

  /** With max_slot_wal_keep_size (1GB) and hot_standby_feedback on: safe WAL left and the standbys' xmin. */
  @Test
  void safeWalAndXminOfSlotsWithALimitAndHotStandbyFeedback() {
    assertThat(render(new PgReplicationSlotsCollector(null), PG3, "health-primary", PG1, "health-replica")).isEqualTo("""
        # HELP pgha_postgres_replication_slot_active 1 if a consumer is connected to the replication slot (pg_replication_slots.active), 0 if not.
        # TYPE pgha_postgres_replication_slot_active gauge
        pgha_postgres_replication_slot_active{member="pg-3",scope="pgha",slot_name="pg_1",slot_type="physical"} 1.0
        pgha_postgres_replication_slot_active{member="pg-3",scope="pgha",slot_name="pg_2",slot_type="physical"} 1.0
        # HELP pgha_postgres_replication_slot_retained_wal_bytes WAL the slot keeps from being removed: current WAL position (replayed position on a replica) minus the slot's restart_lsn, in bytes.
        # TYPE pgha_postgres_replication_slot_retained_wal_bytes gauge
        pgha_postgres_replication_slot_retained_wal_bytes{member="pg-3",scope="pgha",slot_name="pg_1",slot_type="physical"} 0.0
        pgha_postgres_replication_slot_retained_wal_bytes{member="pg-3",scope="pgha",slot_name="pg_2",slot_type="physical"} 0.0
        # HELP pgha_postgres_replication_slot_safe_wal_bytes WAL that can still be written before the slot is lost (pg_replication_slots.safe_wal_size, 0 when negative). Absent when max_slot_wal_keep_size is -1 (no limit) and once the slot is lost.
        # TYPE pgha_postgres_replication_slot_safe_wal_bytes gauge
        pgha_postgres_replication_slot_safe_wal_bytes{member="pg-3",scope="pgha",slot_name="pg_1",slot_type="physical"} 1.090491176E9
        pgha_postgres_replication_slot_safe_wal_bytes{member="pg-3",scope="pgha",slot_name="pg_2",slot_type="physical"} 1.090491176E9
        # HELP pgha_postgres_replication_slot_wal_status Availability of the WAL the slot needs (pg_replication_slots.wal_status): reserved, extended, unreserved (about to be lost), lost (the consumer cannot catch up), other (none reserved yet); 1 for the current one.
        # TYPE pgha_postgres_replication_slot_wal_status gauge
        pgha_postgres_replication_slot_wal_status{member="pg-3",scope="pgha",slot_name="pg_1",slot_type="physical",wal_status="extended"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-3",scope="pgha",slot_name="pg_1",slot_type="physical",wal_status="lost"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-3",scope="pgha",slot_name="pg_1",slot_type="physical",wal_status="other"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-3",scope="pgha",slot_name="pg_1",slot_type="physical",wal_status="reserved"} 1.0
        pgha_postgres_replication_slot_wal_status{member="pg-3",scope="pgha",slot_name="pg_1",slot_type="physical",wal_status="unreserved"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-3",scope="pgha",slot_name="pg_2",slot_type="physical",wal_status="extended"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-3",scope="pgha",slot_name="pg_2",slot_type="physical",wal_status="lost"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-3",scope="pgha",slot_name="pg_2",slot_type="physical",wal_status="other"} 0.0
        pgha_postgres_replication_slot_wal_status{member="pg-3",scope="pgha",slot_name="pg_2",slot_type="physical",wal_status="reserved"} 1.0
        pgha_postgres_replication_slot_wal_status{member="pg-3",scope="pgha",slot_name="pg_2",slot_type="physical",wal_status="unreserved"} 0.0
        # HELP pgha_postgres_replication_slot_xmin_age Age in transactions of the oldest xmin the slot holds (the greater of age(xmin) and age(catalog_xmin)): a physical slot gets one from hot_standby_feedback. Absent when the slot holds none.
        # TYPE pgha_postgres_replication_slot_xmin_age gauge
        pgha_postgres_replication_slot_xmin_age{member="pg-3",scope="pgha",slot_name="pg_1",slot_type="physical"} 9.0
        pgha_postgres_replication_slot_xmin_age{member="pg-3",scope="pgha",slot_name="pg_2",slot_type="physical"} 9.0
        """);
  }

  /** PostgreSQL gives no safe_wal_size for a lost slot: the series goes, the one-hot says lost. */
  @Test
  void aLostSlotHasNoSafeWal() {
    String text = render(new PgReplicationSlotsCollector(null).snapshots(Map.of(PG1, List.of(
        new SlotRow("pg_2", "physical", false, "lost", 1.2e9, null, null)))));
    assertThat(text)
        .contains("pgha_postgres_replication_slot_wal_status{member=\"pg-1\",scope=\"pgha\",slot_name=\"pg_2\",slot_type=\"physical\",wal_status=\"lost\"} 1.0\n")
        .doesNotContain("pgha_postgres_replication_slot_safe_wal_bytes")
        .doesNotContain("pgha_postgres_replication_slot_xmin_age");
  }
}
