package io.pgha.postgres;

import static io.pgha.common.Golden.golden;
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
    assertThat(text).isEqualTo(golden("PgConnectionCollectorTest/upFollowsWhetherTheTargetAnswered"));
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
