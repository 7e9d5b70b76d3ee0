package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.postgres.PgStatReplicationCollector.StandbyRow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden text from rows recorded on a live PostgreSQL 15 cluster (see fixtures/README.md). */
class PgStatReplicationCollectorTest {

  @Test
  void aStandbyListedTwiceGivesOneSetOfSeriesAndUnknownValuesMapToOther() {
    List<StandbyRow> rows = List.of(
        new StandbyRow("pg-2", "catchup", "async", 900.0, 900.0, 900.0, 900.0, null, null, null, 1.0),
        new StandbyRow("pg-2", "streaming", "async", 0.0, 0.0, 0.0, 16.0, 0.5, 0.5, null, 0.2),
        new StandbyRow("pg-3", "reconnecting", "weird", 0.0, 0.0, 0.0, 0.0, null, null, null, null),
        new StandbyRow(null, "streaming", "async", 0.0, 0.0, 0.0, 0.0, null, null, null, null));
    String text = render(new PgStatReplicationCollector(null).snapshots(Map.of(PG1, rows)));
    assertThat(text)
        .as("the streaming walsender wins; replay lag in seconds is unknown while 16 bytes are outstanding")
        .contains("pgha_postgres_replication_lag_bytes{member=\"pg-1\",scope=\"pgha\",stage=\"replay\",standby=\"pg-2\"} 16.0\n")
        .contains("pgha_postgres_replication_lag_seconds{member=\"pg-1\",scope=\"pgha\",stage=\"write\",standby=\"pg-2\"} 0.5\n")
        .doesNotContain("stage=\"replay\",standby=\"pg-2\"} 0.0")
        .contains("pgha_postgres_replication_state{member=\"pg-1\",scope=\"pgha\",standby=\"pg-2\",state=\"streaming\"} 1.0\n")
        .contains("pgha_postgres_replication_state{member=\"pg-1\",scope=\"pgha\",standby=\"pg-3\",state=\"other\"} 1.0\n")
        .contains("pgha_postgres_replication_sync_state{member=\"pg-1\",scope=\"pgha\",standby=\"pg-3\",sync_state=\"other\"} 1.0\n")
        .contains("pgha_postgres_standbys_streaming{member=\"pg-1\",scope=\"pgha\"} 1.0\n");
    assertThat(text.lines().filter(l -> l.startsWith(PostgresMetrics.REPLICATION_STATE.name() + "{") && l.contains("standby=\"pg-2\"")))
        .as("one series per state, not two").hasSize(PgStatReplicationCollector.STATES.size());
  }
}
