package io.pgha.patroni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.common.ConfigException;
import io.pgha.common.ExporterCommand;
import io.pgha.common.YamlSection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatroniConfigTest {
  @TempDir Path dir;

  private static PatroniConfig parse(String yaml) throws Exception {
    return PatroniConfig.parse(YamlSection.of(yaml, "patroni"));
  }

  @Test
  void readsClustersWithSharedAndOverriddenSettings() throws Exception {
    Path password = dir.resolve("monitor.password");
    Files.writeString(password, "s3cret\n");
    PatroniConfig config = parse("""
        patroni:
          username: monitor
          password_file: %s
          request_timeout: 1500ms
          refresh_interval: 1s
          clusters:
            - scope: pgha
              members: [http://127.0.0.21:8008, "http://127.0.0.22:8008/"]
            - scope: other
              members: [http://127.0.0.31:8008]
              request_timeout: 3s
              refresh_interval: 250ms
        """.formatted(password));
    assertThat(config.scopes()).hasSize(2);
    PatroniConfig.Scope pgha = config.scopes().get(0);
    assertThat(pgha.members()).containsExactly(URI.create("http://127.0.0.21:8008"), URI.create("http://127.0.0.22:8008"));
    assertThat(pgha.credentials().orElseThrow().username()).isEqualTo("monitor");
    assertThat(pgha.credentials().orElseThrow().passwordFile().read()).isEqualTo("s3cret");
    assertThat(pgha.credentials().orElseThrow().toString()).doesNotContain("s3cret");
    assertThat(pgha.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.scopes().get(1).requestTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(pgha.refreshInterval()).contains(Duration.ofSeconds(1));
    assertThat(config.scopes().get(1).refreshInterval()).contains(Duration.ofMillis(250));
  }

  @Test
  void withoutRefreshIntervalEachScrapeReadsTheMembers() throws Exception {
    assertThat(parse("patroni:\n  clusters:\n    - scope: pgha\n      members: [http://127.0.0.21:8008]\n")
        .scopes().get(0).refreshInterval()).isEmpty();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      {patroni: {clusters: [{scope: a, members: [http://a:1]}, {scope: a, members: [http://b:1]}]}}           | patroni.clusters[1].scope: scope a is listed twice
      {patroni: {clusters: [{members: [http://a:1]}]}}                                                        | patroni.clusters[0].scope: is required
      {patroni: {clusters: [{scope: a, members: []}]}}                                                        | patroni.clusters[0].members: must not be empty
      {patroni: {clusters: []}}                                                                               | patroni.clusters: must not be empty
      {patroni: {username: x, clusters: [{scope: a, members: [http://a:1]}]}}                                 | patroni.clusters[0].password_file: is required with username
      {patroni: {username: x, password_file: /nonexistent/pw, clusters: [{scope: a, members: [http://a:1]}]}} | patroni.password_file: no such file: /nonexistent/pw
      {patroni: {ca_file: /nonexistent/ca.pem, clusters: [{scope: a, members: [http://a:1]}]}}                | patroni.ca_file: no such file: /nonexistent/ca.pem
      {patroni: {clusters: [{scope: a, members: [http://a:1], refresh_interval: 50ms}]}}                      | patroni.clusters[0].refresh_interval: must be at least 100ms (each round asks every member); leave it out to read the members on each scrape
      """)
  void badConfigurationNamesTheKeyAndTheProblem(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  /** Where the message goes on with what was given (the value, the known keys). */
  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      {patroni: {clusters: [{scope: pgha, members: [http://127.0.0.21:8008, not-a-url]}]}} | patroni.clusters[0].members[1]: not a URL
      {patroni: {clusters: [{scope: pgha, members: [http://127.0.0.21]}]}}                 | patroni.clusters[0].members[0]: needs a port
      {patroni: {clusters: [{scope: pgha, members: [http://127.0.0.21:8008/patroni]}]}}    | patroni.clusters[0].members[0]: must be the REST API's base URL without a path
      {patroni: {clusters: [{scope: pgha, members: [http://a:1, http://a:1]}]}}            | patroni.clusters[0].members[1]: http://a:1 is listed twice
      {patroni: {cluster: []}}                                                             | patroni.cluster: unknown key
      {patroni: {clusters: [{scope: a, members: [http://a:1], memebrs: []}]}}              | patroni.clusters[0].memebrs: unknown key
      {patroni: {request_timeout: soon, clusters: [{scope: a, members: [http://a:1]}]}}    | patroni.request_timeout: not a duration
      {patroni: {refresh_interval: often, clusters: [{scope: a, members: [http://a:1]}]}}  | patroni.refresh_interval: not a duration
      """)
  void badConfigurationStartsWithTheKeyAndTheProblem(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
  }

  @Test
  void membersMustNotCarryCredentialsAndTheMessageDoesNotRepeatThem() {
    assertThatThrownBy(() -> parse("patroni:\n  clusters:\n    - scope: pgha\n      members: [\"http://u:pw@127.0.0.21:8008\"]\n"))
        .hasMessageStartingWith("patroni.clusters[0].members[0]: must not carry credentials").hasMessageNotContaining("pw@");
  }

  @Test
  void theLauncherRefusesABadConfigurationBeforeServing() throws Exception {
    Path config = dir.resolve("config.yml");
    Files.writeString(config, "patroni:\n  clusters:\n    - scope: pgha\n      members: [http://127.0.0.21:8008, 'http//127.0.0.22:8008']\n");
    assertThatThrownBy(() -> ExporterCommand.start(PatroniExporter.SPEC, Map.of(),
        "--config", config.toString(), "--web.listen-address=127.0.0.1:0"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("patroni.clusters[0].members[1]: not a URL");
  }
}
