package io.pgha.patroni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pgha.common.ConfigException;
import io.pgha.common.ConfigNode;
import io.pgha.common.ExporterCommand;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatroniConfigTest {
  @TempDir Path dir;

  private static PatroniConfig parse(String yaml) throws Exception {
    return PatroniConfig.parse(ConfigNode.root(new YAMLMapper().readTree(yaml)).required("patroni"));
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
          clusters:
            - scope: pgha
              members: [http://127.0.0.21:8008, "http://127.0.0.22:8008/"]
            - scope: other
              members: [http://127.0.0.31:8008]
              request_timeout: 3s
        """.formatted(password));
    assertThat(config.scopes()).hasSize(2);
    PatroniConfig.Scope pgha = config.scopes().get(0);
    assertThat(pgha.members()).containsExactly(URI.create("http://127.0.0.21:8008"), URI.create("http://127.0.0.22:8008"));
    assertThat(pgha.credentials().orElseThrow().username()).isEqualTo("monitor");
    assertThat(pgha.credentials().orElseThrow().passwordFile().read()).isEqualTo("s3cret");
    assertThat(pgha.credentials().orElseThrow().toString()).doesNotContain("s3cret");
    assertThat(pgha.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.scopes().get(1).requestTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void badConfigurationNamesTheKeyAndTheProblem() {
    assertThatThrownBy(() -> parse("patroni:\n  clusters:\n    - scope: pgha\n      members: [http://127.0.0.21:8008, not-a-url]\n"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("patroni.clusters[0].members[1]: not a URL");
    assertThatThrownBy(() -> parse("patroni:\n  clusters:\n    - scope: pgha\n      members: [http://127.0.0.21]\n"))
        .hasMessageStartingWith("patroni.clusters[0].members[0]: needs a port");
    assertThatThrownBy(() -> parse("patroni:\n  clusters:\n    - scope: pgha\n      members: [http://127.0.0.21:8008/patroni]\n"))
        .hasMessageStartingWith("patroni.clusters[0].members[0]: must be the REST API's base URL without a path");
    assertThatThrownBy(() -> parse("patroni:\n  clusters:\n    - scope: pgha\n      members: [\"http://u:pw@127.0.0.21:8008\"]\n"))
        .hasMessageStartingWith("patroni.clusters[0].members[0]: must not carry credentials").hasMessageNotContaining("pw@");
    assertThatThrownBy(() -> parse("patroni:\n  clusters:\n    - scope: pgha\n      members: [http://a:1, http://a:1]\n"))
        .hasMessageStartingWith("patroni.clusters[0].members[1]: http://a:1 is listed twice");
    assertThatThrownBy(() -> parse("patroni:\n  clusters:\n    - {scope: a, members: [http://a:1]}\n    - {scope: a, members: [http://b:1]}\n"))
        .hasMessage("patroni.clusters[1].scope: scope a is listed twice");
    assertThatThrownBy(() -> parse("patroni:\n  clusters:\n    - {members: [http://a:1]}\n"))
        .hasMessage("patroni.clusters[0].scope: is required");
    assertThatThrownBy(() -> parse("patroni:\n  clusters:\n    - {scope: a, members: []}\n"))
        .hasMessage("patroni.clusters[0].members: must not be empty");
    assertThatThrownBy(() -> parse("patroni:\n  clusters: []\n")).hasMessage("patroni.clusters: must not be empty");
    assertThatThrownBy(() -> parse("patroni:\n  cluster: []\n")).hasMessageStartingWith("patroni.cluster: unknown key");
    assertThatThrownBy(() -> parse("patroni:\n  clusters:\n    - {scope: a, members: [http://a:1], memebrs: []}\n"))
        .hasMessageStartingWith("patroni.clusters[0].memebrs: unknown key");
    assertThatThrownBy(() -> parse("patroni:\n  username: x\n  clusters:\n    - {scope: a, members: [http://a:1]}\n"))
        .hasMessage("patroni.clusters[0].password_file: is required with username");
    assertThatThrownBy(() -> parse("patroni:\n  username: x\n  password_file: /nonexistent/pw\n  clusters:\n    - {scope: a, members: [http://a:1]}\n"))
        .hasMessage("patroni.password_file: no such file: /nonexistent/pw");
    assertThatThrownBy(() -> parse("patroni:\n  ca_file: /nonexistent/ca.pem\n  clusters:\n    - {scope: a, members: [http://a:1]}\n"))
        .hasMessage("patroni.ca_file: no such file: /nonexistent/ca.pem");
    assertThatThrownBy(() -> parse("patroni:\n  request_timeout: soon\n  clusters:\n    - {scope: a, members: [http://a:1]}\n"))
        .hasMessageStartingWith("patroni.request_timeout: not a duration");
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
