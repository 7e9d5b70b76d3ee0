package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.PG2;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgConnectionCollectorTest {

  @Test
  void upFollowsWhetherTheTargetAnswered() {
    String text = render(PgConnectionCollector.snapshots(List.of(
        TargetSample.up(PG1, Map.of()),
        TargetSample.down(PG2, "cannot connect: Connection to 127.0.3.2:5432 refused"))));
    assertThat(text).isEqualTo("""
        # HELP pgha_postgres_up 1 if the exporter is connected to this PostgreSQL member and it answered this scrape in time, 0 if not (the reason is logged).
        # TYPE pgha_postgres_up gauge
        pgha_postgres_up{member="pg-1",scope="pgha"} 1.0
        pgha_postgres_up{member="pg-2",scope="pgha"} 0.0
        """);
  }

  @Test
  void aRefusedQueryFailsWithTheTargetAndCauseButAnUnrunOneToo() {
    TargetSample sample = TargetSample.up(PG1, Map.of(PgDatabaseCollector.QUERY.name(),
        TargetSample.QueryResult.failed("ERROR: permission denied for function pg_database_size")));
    assertThatThrownBy(() -> sample.rows(PgDatabaseCollector.QUERY))
        .isInstanceOf(QueryFailedException.class)
        .hasMessage("pgha/pg-1 (127.0.3.1:5432/postgres): ERROR: permission denied for function pg_database_size");
    assertThatThrownBy(() -> sample.rows(PgStatWalCollector.QUERY))
        .hasMessage("pgha/pg-1 (127.0.3.1:5432/postgres): stat_wal was not run");
  }
}
