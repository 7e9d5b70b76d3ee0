package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.PG2;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.postgres.PgStatActivityCollector.StateCount;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden text from rows recorded on a live PostgreSQL 15 cluster (see fixtures/README.md). */
class PgStatActivityCollectorTest {

  @Test
  void primaryAndReplica() {
    assertThat(render(new PgStatActivityCollector(null), PG1, "primary", PG2, "replica")).isEqualTo("""
        # HELP pgha_postgres_connections Client connections by state (pg_stat_activity, client backends only); other counts sessions whose state is hidden or unknown.
        # TYPE pgha_postgres_connections gauge
        pgha_postgres_connections{member="pg-1",scope="pgha",state="active"} 2.0
        pgha_postgres_connections{member="pg-1",scope="pgha",state="disabled"} 0.0
        pgha_postgres_connections{member="pg-1",scope="pgha",state="fastpath_function_call"} 0.0
        pgha_postgres_connections{member="pg-1",scope="pgha",state="idle"} 7.0
        pgha_postgres_connections{member="pg-1",scope="pgha",state="idle_in_transaction"} 0.0
        pgha_postgres_connections{member="pg-1",scope="pgha",state="idle_in_transaction_aborted"} 0.0
        pgha_postgres_connections{member="pg-1",scope="pgha",state="other"} 0.0
        pgha_postgres_connections{member="pg-2",scope="pgha",state="active"} 1.0
        pgha_postgres_connections{member="pg-2",scope="pgha",state="disabled"} 0.0
        pgha_postgres_connections{member="pg-2",scope="pgha",state="fastpath_function_call"} 0.0
        pgha_postgres_connections{member="pg-2",scope="pgha",state="idle"} 1.0
        pgha_postgres_connections{member="pg-2",scope="pgha",state="idle_in_transaction"} 0.0
        pgha_postgres_connections{member="pg-2",scope="pgha",state="idle_in_transaction_aborted"} 0.0
        pgha_postgres_connections{member="pg-2",scope="pgha",state="other"} 0.0
        # HELP pgha_postgres_connections_max The max_connections setting of the member.
        # TYPE pgha_postgres_connections_max gauge
        pgha_postgres_connections_max{member="pg-1",scope="pgha"} 100.0
        pgha_postgres_connections_max{member="pg-2",scope="pgha"} 100.0
        # HELP pgha_postgres_connections_reserved Connection slots of max_connections that ordinary roles cannot use: superuser_reserved_connections plus, from PostgreSQL 16, reserved_connections. Usable by ordinary roles: max minus reserved.
        # TYPE pgha_postgres_connections_reserved gauge
        pgha_postgres_connections_reserved{member="pg-1",scope="pgha"} 3.0
        pgha_postgres_connections_reserved{member="pg-2",scope="pgha"} 3.0
        """);
  }

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
