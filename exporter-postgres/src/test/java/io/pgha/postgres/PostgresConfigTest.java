package io.pgha.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.common.ConfigException;
import io.pgha.common.YamlSection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresConfigTest {
  @TempDir Path dir;

  private static PostgresConfig parse(String yaml, Map<String, String> env) throws Exception {
    return PostgresConfig.parse(YamlSection.of(yaml, "postgres"), env);
  }

  private Path passwordFile(String content) throws Exception {
    Path file = dir.resolve("pgha_monitor.password");
    Files.writeString(file, content);
    return file;
  }

  @Test
  void readsTargetsGivenByHostOrUrlWithDefaults() throws Exception {
    Path pw = passwordFile("s3cret\n");
    PostgresConfig config = parse("""
        postgres:
          username: pgha_monitor
          password_file: %s
          targets:
            - {scope: pgha, member: pg-1, host: 127.0.0.21, data_directory: /var/lib/pgha/default/pg-1/data}
            - {scope: pgha, member: pg-2, host: 127.0.0.22, port: 5433, database: app}
            - {scope: other, member: pg-1, url: "jdbc:postgresql://127.0.0.23:5432/postgres?sslmode=disable"}
        """.formatted(pw), Map.of());

    assertThat(config.targets()).extracting(PostgresTarget::jdbcUrl).containsExactly(
        "jdbc:postgresql://127.0.0.21:5432/postgres",
        "jdbc:postgresql://127.0.0.22:5433/app",
        "jdbc:postgresql://127.0.0.23:5432/postgres?sslmode=disable");
    assertThat(config.targets().get(0).dataDirectory()).contains(Path.of("/var/lib/pgha/default/pg-1/data"));
    assertThat(config.targets().get(2).toString()).isEqualTo("other/pg-1 (127.0.0.23:5432/postgres)");
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.statementTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.databaseSizeInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.credentials().password()).contains("s3cret");
    assertThat(config.credentials().toString()).doesNotContain("s3cret").contains("password_file");
  }

  @Test
  void thePasswordFromTheEnvironmentWinsAndIsNeverPrinted() throws Exception {
    Path pw = passwordFile("from-file");
    PostgresConfig config = parse("""
        postgres: {username: pgha_monitor, password_file: %s, targets: [{scope: pgha, member: pg-1, host: h}]}
        """.formatted(pw), Map.of(PostgresConfig.PASSWORD_ENV, "from-env"));
    assertThat(config.credentials().password()).contains("from-env");
    assertThat(config.credentials().toString()).isEqualTo("pgha_monitor (env PGHA_POSTGRES_PASSWORD)");
    PostgresConfig none = parse("postgres: {username: u, targets: [{scope: s, member: m, host: h}]}", Map.of());
    assertThat(none.credentials().password()).isEqualTo(Optional.empty());
  }

  @Test
  void errorsNameTheKeyAndTheProblem() {
    assertError("postgres: {targets: [{scope: s, member: m, host: h}]}", "postgres.username: is required");
    assertError("postgres: {username: u}", "postgres.targets: is required");
    assertError("postgres: {username: u, targets: [{scope: s, member: m, host: h}, {scope: s, member: n, host: h, port: 70000}]}",
        "postgres.targets[1].port: must be between 1 and 65535");
    assertError("postgres: {username: u, targets: [{scope: s, member: m}]}", "postgres.targets[0].host: is required");
    assertError("postgres: {username: u, targets: [{scope: s, member: m, hots: h}]}",
        "postgres.targets[0].hots: unknown key (known: data_directory, database, host, member, port, scope, sslcert, sslkey, sslmode, sslrootcert, url)");
    assertError("postgres: {username: u, targets: [{scope: s, member: m, host: h}, {scope: s, member: m, host: i}]}",
        "postgres.targets[1]: duplicate scope/member s/m (also postgres.targets[0])");
    assertError("postgres: {username: u, targets: [{scope: s, member: m, url: 'postgresql://h/db'}]}",
        "postgres.targets[0].url: not a PostgreSQL JDBC URL (want jdbc:postgresql://host:port/database)");
    assertError("postgres: {username: u, targets: [{scope: s, member: m, url: 'jdbc:postgresql://h/db?password=x'}]}",
        "postgres.targets[0].url: must not contain user or password (use postgres.username and password_file or PGHA_POSTGRES_PASSWORD)");
    assertError("postgres: {username: u, targets: [{scope: s, member: m, url: 'jdbc:postgresql://h/db', port: 1}]}",
        "postgres.targets[0].port: give either url or host/port/database, not both");
    assertError("postgres: {username: u, targets: [{scope: s, member: m, host: h, data_directory: pg-1/data}]}",
        "postgres.targets[0].data_directory: must be an absolute path");
    assertError("postgres: {username: u, statement_timeout: 10ms, targets: [{scope: s, member: m, host: h}]}",
        "postgres.statement_timeout: must be at least 100ms");
    assertError("postgres: {username: u, connect_timeout: soon, targets: [{scope: s, member: m, host: h}]}",
        "postgres.connect_timeout: not a duration (want e.g. 500ms, 4s, 2m, 1h): soon");
    assertError("postgres: {username: u, password_file: /nonexistent/pw, targets: [{scope: s, member: m, host: h}]}",
        "postgres.password_file: no such file: /nonexistent/pw");
  }

  private static void assertError(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml, Map.of())).isInstanceOf(ConfigException.class).hasMessage(message);
  }
}
