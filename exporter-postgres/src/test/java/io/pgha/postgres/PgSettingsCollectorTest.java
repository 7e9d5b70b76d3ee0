package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.PG3;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Golden text from rows recorded on a live PostgreSQL 15 cluster (see fixtures/README.md). */
class PgSettingsCollectorTest {

  /** What each member runs, recorded on PostgreSQL 15 with archive_mode on. */
  @Test
  void primaryAndReplica() {
    assertThat(render(new PgSettingsCollector(null), PG3, "health-primary", PG1, "health-replica")).isEqualTo("""
        # HELP pgha_postgres_info Always 1; the labels say what the member runs: version (server_version without the distribution's suffix), server_version_num, data_checksums (on/off) and archive_mode (off/on/always).
        # TYPE pgha_postgres_info gauge
        pgha_postgres_info{archive_mode="on",data_checksums="on",member="pg-1",scope="pgha",server_version_num="150018",version="15.18"} 1.0
        pgha_postgres_info{archive_mode="on",data_checksums="on",member="pg-3",scope="pgha",server_version_num="150018",version="15.18"} 1.0
        """);
  }
}
