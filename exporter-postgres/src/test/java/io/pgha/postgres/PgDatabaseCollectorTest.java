package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Golden text from rows recorded on a live PostgreSQL 15 cluster (see fixtures/README.md). */
class PgDatabaseCollectorTest {

  @Test
  void sizes() {
    assertThat(render(new PgDatabaseCollector(null, Duration.ofMinutes(5), System::nanoTime), PG1, "primary")).isEqualTo("""
        # HELP pgha_postgres_database_size_bytes Disk space used by each database that accepts connections (pg_database_size()), measured at most once per database_size_interval (5 m by default) because it walks every file of the database.
        # TYPE pgha_postgres_database_size_bytes gauge
        pgha_postgres_database_size_bytes{database="app",member="pg-1",scope="pgha"} 8.7072103E7
        pgha_postgres_database_size_bytes{database="postgres",member="pg-1",scope="pgha"} 7683431.0
        """);
  }
}
