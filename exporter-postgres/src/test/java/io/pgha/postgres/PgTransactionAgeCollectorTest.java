package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.PG3;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.postgres.PgTransactionAgeCollector.TransactionAgeRow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden text from rows recorded on a live PostgreSQL 15 cluster (see fixtures/README.md). */
class PgTransactionAgeCollectorTest {

  /** Two sessions idle in transaction on the primary, one of them aborted (counted from when it went idle); every state present, 0 without a transaction. */
  @Test
  void sessionsIdleInTransactionOnThePrimary() {
    assertThat(render(new PgTransactionAgeCollector(null), PG3, "health-primary", PG1, "health-replica")).isEqualTo("""
        # HELP pgha_postgres_oldest_backend_xmin_age Age in transactions of the oldest backend_xmin in pg_stat_activity, every backend type (a walsender shows its standby's hot_standby_feedback): how far back this member's sessions hold the vacuum horizon.
        # TYPE pgha_postgres_oldest_backend_xmin_age gauge
        pgha_postgres_oldest_backend_xmin_age{member="pg-1",scope="pgha"} 6.0
        pgha_postgres_oldest_backend_xmin_age{member="pg-3",scope="pgha"} 9.0
        # HELP pgha_postgres_oldest_prepared_transaction_seconds Age of the oldest prepared (two-phase) transaction, now() - pg_prepared_xacts.prepared; 0 when none. A forgotten one holds locks and the vacuum horizon until COMMIT/ROLLBACK PREPARED.
        # TYPE pgha_postgres_oldest_prepared_transaction_seconds gauge
        pgha_postgres_oldest_prepared_transaction_seconds{member="pg-1",scope="pgha"} 0.0
        pgha_postgres_oldest_prepared_transaction_seconds{member="pg-3",scope="pgha"} 0.0
        # HELP pgha_postgres_oldest_transaction_seconds Age of the oldest open transaction of a client session, by the session's state (pg_stat_activity: now() - xact_start; for idle_in_transaction_aborted, whose xact_start PostgreSQL clears, since it went idle): active, idle_in_transaction, idle_in_transaction_aborted, fastpath_function_call, other. 0 when no session in that state is in a transaction.
        # TYPE pgha_postgres_oldest_transaction_seconds gauge
        pgha_postgres_oldest_transaction_seconds{member="pg-1",scope="pgha",state="active"} 0.0
        pgha_postgres_oldest_transaction_seconds{member="pg-1",scope="pgha",state="fastpath_function_call"} 0.0
        pgha_postgres_oldest_transaction_seconds{member="pg-1",scope="pgha",state="idle_in_transaction"} 0.0
        pgha_postgres_oldest_transaction_seconds{member="pg-1",scope="pgha",state="idle_in_transaction_aborted"} 0.0
        pgha_postgres_oldest_transaction_seconds{member="pg-1",scope="pgha",state="other"} 0.0
        pgha_postgres_oldest_transaction_seconds{member="pg-3",scope="pgha",state="active"} 0.0
        pgha_postgres_oldest_transaction_seconds{member="pg-3",scope="pgha",state="fastpath_function_call"} 0.0
        pgha_postgres_oldest_transaction_seconds{member="pg-3",scope="pgha",state="idle_in_transaction"} 194.508204
        pgha_postgres_oldest_transaction_seconds{member="pg-3",scope="pgha",state="idle_in_transaction_aborted"} 194.416915
        pgha_postgres_oldest_transaction_seconds{member="pg-3",scope="pgha",state="other"} 0.0
        """);
  }

  /** No session in a transaction: one row without a state; every state 0, the prepared one too. */
  @Test
  void noTransactionAnywhere() {
    String text = render(new PgTransactionAgeCollector(null).snapshots(Map.of(PG1, List.of(
        new TransactionAgeRow(null, null, 4.0, null)))));
    assertThat(text)
        .contains("pgha_postgres_oldest_transaction_seconds{member=\"pg-1\",scope=\"pgha\",state=\"active\"} 0.0\n")
        .contains("pgha_postgres_oldest_transaction_seconds{member=\"pg-1\",scope=\"pgha\",state=\"idle_in_transaction\"} 0.0\n")
        .contains("pgha_postgres_oldest_prepared_transaction_seconds{member=\"pg-1\",scope=\"pgha\"} 0.0\n")
        .contains("pgha_postgres_oldest_backend_xmin_age{member=\"pg-1\",scope=\"pgha\"} 4.0\n")
        .doesNotContain("state=\"idle\"").doesNotContain("state=\"disabled\"");
  }

  /** A prepared transaction, and a state PostgreSQL may add one day, which counts as other. */
  @Test
  void preparedTransactionsAndUnknownStates() {
    String text = render(new PgTransactionAgeCollector(null).snapshots(Map.of(PG1, List.of(
        new TransactionAgeRow("active", 12.0, 7.0, 5000.0),
        new TransactionAgeRow("brand new state", 30.0, 7.0, 5000.0)))));
    assertThat(text)
        .contains("pgha_postgres_oldest_transaction_seconds{member=\"pg-1\",scope=\"pgha\",state=\"active\"} 12.0\n")
        .contains("pgha_postgres_oldest_transaction_seconds{member=\"pg-1\",scope=\"pgha\",state=\"other\"} 30.0\n")
        .contains("pgha_postgres_oldest_prepared_transaction_seconds{member=\"pg-1\",scope=\"pgha\"} 5000.0\n");
  }
}
