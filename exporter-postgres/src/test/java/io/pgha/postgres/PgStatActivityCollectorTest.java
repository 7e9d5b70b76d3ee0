package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.postgres.PgStatActivityCollector.StateCount;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden text from rows recorded on a live PostgreSQL 15 cluster (see fixtures/README.md). */
class PgStatActivityCollectorTest {

  @Test
  void hiddenAndUnknownStatesCountAsOther() {
    String text = render(new PgStatActivityCollector(null).snapshots(Map.of(PG1, List.of(
        new StateCount(null, 2.0, 50.0, 5.0), new StateCount("brand new state", 3.0, 50.0, 5.0),
        new StateCount("idle in transaction (aborted)", 1.0, 50.0, 5.0)))));
    assertThat(text)
        .contains("pgha_postgres_connections{member=\"pg-1\",scope=\"pgha\",state=\"other\"} 5.0\n")
        .contains("pgha_postgres_connections{member=\"pg-1\",scope=\"pgha\",state=\"idle_in_transaction_aborted\"} 1.0\n")
        .contains("pgha_postgres_connections{member=\"pg-1\",scope=\"pgha\",state=\"active\"} 0.0\n")
        .contains("pgha_postgres_connections_max{member=\"pg-1\",scope=\"pgha\"} 50.0\n")
        .contains("pgha_postgres_connections_reserved{member=\"pg-1\",scope=\"pgha\"} 5.0\n");
  }
}
