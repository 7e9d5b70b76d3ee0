package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.PG2;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL 13 to 17, where only 15 runs here. The statements chosen for each version are checked
 * against what that version's views and functions have (from the PostgreSQL documentation of each
 * version's monitoring chapter), and the rows they return there, written by hand from the same
 * documentation (fixtures pg13-*, pg16-*, pg17-*; see fixtures/README.md), read into the right series
 * (here, and as whole golden text in {@link RecordedRowsGoldenTest}).
 */
class PostgresVersionsTest {
  static final List<Integer> SUPPORTED = List.of(130000, 140000, 150000, 160000, 170000);

  /** A name the statements may use only from version {@code since} on, and before {@code until}. */
  record Limited(String name, int since, int until) {}

  /** From the documentation of each version; what all of 13 to 17 have is not listed. */
  static final List<Limited> LIMITED = List.of(
      new Limited("pg_stat_wal", 140000, Integer.MAX_VALUE),
      new Limited("pg_get_wal_replay_pause_state", 140000, Integer.MAX_VALUE),
      new Limited("pg_stat_checkpointer", 170000, Integer.MAX_VALUE),
      new Limited("num_timed", 170000, Integer.MAX_VALUE),
      new Limited("num_requested", 170000, Integer.MAX_VALUE),
      new Limited("restartpoints_timed", 170000, Integer.MAX_VALUE),
      new Limited("restartpoints_req", 170000, Integer.MAX_VALUE),
      new Limited("checkpoints_timed", 0, 170000),
      new Limited("checkpoints_req", 0, 170000),
      new Limited("checkpoint_write_time", 0, 170000),
      new Limited("checkpoint_sync_time", 0, 170000),
      new Limited("buffers_checkpoint", 0, 170000));

  /** The setting named anywhere but in {@code current_setting('reserved_connections', true)}. */
  static final Pattern UNGUARDED_RESERVED =
      Pattern.compile("(?<![a-z_])'reserved_connections'(?!\\s*,\\s*true\\s*\\))");

  @Test
  void everyStatementUsesOnlyWhatItsVersionHas() {
    List<String> wrong = new ArrayList<>();
    for (PgQuery<?> q : FixtureRecorder.QUERIES) {
      for (int version : SUPPORTED) {
        q.sql(version).ifPresent(sql -> {
          for (Limited l : LIMITED) {
            boolean uses = Pattern.compile("\\b" + l.name() + "\\b").matcher(sql).find();
            if (uses && (version < l.since() || version >= l.until())) {
              wrong.add(q.name() + " on " + version + " uses " + l.name());
            }
          }
          // reserved_connections exists from 16: before, only current_setting(..., missing_ok) may name it.
          if (version < 160000 && UNGUARDED_RESERVED.matcher(sql).find()) {
            wrong.add(q.name() + " on " + version + " reads reserved_connections without missing_ok");
          }
        });
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void theCheckpointerReadsPgStatBgwriterUpTo16AndPgStatCheckpointerFrom17() {
    assertThat(PgCheckpointerCollector.QUERY.sql(160004)).hasValue(PgCheckpointerCollector.SQL_13);
    assertThat(PgCheckpointerCollector.QUERY.sql(170002)).hasValue(PgCheckpointerCollector.SQL_17);
    assertThat(PgRecoveryCollector.QUERY.sql(130016)).hasValue(PgRecoveryCollector.SQL_13);
    assertThat(PgRecoveryCollector.QUERY.sql(140000)).hasValue(PgRecoveryCollector.SQL);
  }

  /** 13: pg_is_wal_replay_paused() says paused as soon as a pause is requested. */
  @Test
  void postgres13ReplicaWithReplayPaused() {
    assertThat(render(new PgRecoveryCollector(null), PG2, "pg13-replica"))
        .contains("pgha_postgres_replica_replay_paused{member=\"pg-2\",scope=\"pgha\"} 1.0\n")
        .contains("pgha_postgres_in_recovery{member=\"pg-2\",scope=\"pgha\"} 1.0\n")
        .contains("pgha_postgres_replica_replay_lag_bytes{member=\"pg-2\",scope=\"pgha\"} 2.4117248E7\n");
  }

  /** 16: reserved_connections (here 5) adds to superuser_reserved_connections (3). */
  @Test
  void postgres16ReservedConnections() {
    assertThat(render(new PgStatActivityCollector(null), PG1, "pg16-primary"))
        .contains("pgha_postgres_connections_reserved{member=\"pg-1\",scope=\"pgha\"} 8.0\n")
        .contains("pgha_postgres_connections_max{member=\"pg-1\",scope=\"pgha\"} 200.0\n")
        .contains("pgha_postgres_connections{member=\"pg-1\",scope=\"pgha\",state=\"idle\"} 150.0\n");
  }

  /** The slot-lost path: PostgreSQL clears restart_lsn and safe_wal_size of a lost slot. */
  @Test
  void aLostSlotBesideAStandbysSlot() {
    String text = render(new PgReplicationSlotsCollector(null), PG1, "slot-lost-primary");
    assertThat(text)
        .contains("pgha_postgres_replication_slot_wal_status{member=\"pg-1\",scope=\"pgha\",slot_name=\"pgha_it_lost\","
            + "slot_type=\"physical\",wal_status=\"lost\"} 1.0\n")
        .contains("pgha_postgres_replication_slot_retained_wal_bytes{member=\"pg-1\",scope=\"pgha\",slot_name=\"pgha_it_lost\","
            + "slot_type=\"physical\"} 0.0\n")
        .contains("pgha_postgres_replication_slot_safe_wal_bytes{member=\"pg-1\",scope=\"pgha\",slot_name=\"pg_2\","
            + "slot_type=\"physical\"} 1.6777216E7\n")
        .doesNotContain("pgha_postgres_replication_slot_safe_wal_bytes{member=\"pg-1\",scope=\"pgha\",slot_name=\"pgha_it_lost\"");
  }
}
