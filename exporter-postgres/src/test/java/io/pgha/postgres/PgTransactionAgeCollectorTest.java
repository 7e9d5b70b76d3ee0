package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.postgres.PgTransactionAgeCollector.TransactionAgeRow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden text from rows recorded on a live PostgreSQL 15 cluster (see fixtures/README.md). */
class PgTransactionAgeCollectorTest {

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
