package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.postgres.PgReplicationSlotsCollector.SlotRow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden text from rows recorded on a live PostgreSQL 15 cluster (see fixtures/README.md). */
class PgReplicationSlotsCollectorTest {

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
