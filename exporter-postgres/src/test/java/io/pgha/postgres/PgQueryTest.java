package io.pgha.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PgQueryTest {

  @Test
  void theStatementIsTheNewestNotNewerThanTheServer() {
    PgQuery<String> q = PgQuery.byVersion("q", row -> "", PgQuery.since(130000, "SELECT 13"),
        PgQuery.since(170000, "SELECT 17"));
    assertThat(q.sql(130000)).hasValue("SELECT 13");
    assertThat(q.sql(160009)).hasValue("SELECT 13");
    assertThat(q.sql(170000)).hasValue("SELECT 17");
    assertThat(q.sql(180001)).hasValue("SELECT 17");
    // Older than every statement: the oldest is tried, and PostgreSQL says what it lacks.
    assertThat(q.sql(120005)).hasValue("SELECT 13");
  }

  @Test
  void aVersionWithNothingToReadHasNoStatement() {
    assertThat(PgStatWalCollector.QUERY.sql(130012)).isEmpty();
    assertThat(PgStatWalCollector.QUERY.sql(140000)).hasValue(PgStatWalCollector.SQL);
  }

  @Test
  void oneStatementForEveryVersion() {
    assertThat(new PgQuery<>("q", "SELECT 1", row -> "").sql(90600)).isEqualTo(Optional.of("SELECT 1"));
  }

  @Test
  void refusesSeveralStatementsAndTwoForOneVersion() {
    assertThatThrownBy(() -> new PgQuery<>("q", "SELECT 1; SELECT 2", row -> ""))
        .hasMessage("q: one statement per query, no ';'");
    assertThatThrownBy(() -> PgQuery.byVersion("q", row -> "", PgQuery.since(130000, "SELECT 1"),
        PgQuery.since(130000, "SELECT 2"))).hasMessage("q: two statements since 130000");
  }
}
