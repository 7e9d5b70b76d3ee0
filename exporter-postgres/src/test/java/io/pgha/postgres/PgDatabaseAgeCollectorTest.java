package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.PG3;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Golden text from rows recorded on a live PostgreSQL 15 cluster (see fixtures/README.md). */
class PgDatabaseAgeCollectorTest {

  /** Every database, template0 included; the ratio is the oldest age over 2^31 (37 / 2^31 on the primary). */
  @Test
  void primaryAndReplica() {
    assertThat(render(new PgDatabaseAgeCollector(null), PG3, "health-primary", PG1, "health-replica")).isEqualTo("""
        # HELP pgha_postgres_multixact_age Age in multixacts of each database's datminmxid (mxid_age(datminmxid) from pg_database).
        # TYPE pgha_postgres_multixact_age gauge
        pgha_postgres_multixact_age{database="postgres",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_multixact_age{database="postgres",member="pg-3",scope="pgha"} 0.0
        pgha_postgres_multixact_age{database="template0",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_multixact_age{database="template0",member="pg-3",scope="pgha"} 0.0
        pgha_postgres_multixact_age{database="template1",member="pg-1",scope="pgha"} 0.0
        pgha_postgres_multixact_age{database="template1",member="pg-3",scope="pgha"} 0.0
        # HELP pgha_postgres_xid_age Age in transactions of each database's datfrozenxid (age(datfrozenxid) from pg_database): how far the oldest unfrozen transaction ID lags. PostgreSQL stops taking writes near 2^31.
        # TYPE pgha_postgres_xid_age gauge
        pgha_postgres_xid_age{database="postgres",member="pg-1",scope="pgha"} 34.0
        pgha_postgres_xid_age{database="postgres",member="pg-3",scope="pgha"} 37.0
        pgha_postgres_xid_age{database="template0",member="pg-1",scope="pgha"} 34.0
        pgha_postgres_xid_age{database="template0",member="pg-3",scope="pgha"} 37.0
        pgha_postgres_xid_age{database="template1",member="pg-1",scope="pgha"} 34.0
        pgha_postgres_xid_age{database="template1",member="pg-3",scope="pgha"} 37.0
        # HELP pgha_postgres_xid_wraparound_ratio The oldest transaction ID or multixact age of any database on the member divided by 2^31: 1 is where wraparound would lose data (PostgreSQL refuses writes shortly before).
        # TYPE pgha_postgres_xid_wraparound_ratio gauge
        pgha_postgres_xid_wraparound_ratio{member="pg-1",scope="pgha"} 1.5832483768463135E-8
        pgha_postgres_xid_wraparound_ratio{member="pg-3",scope="pgha"} 1.7229467630386353E-8
        """);
  }
}
