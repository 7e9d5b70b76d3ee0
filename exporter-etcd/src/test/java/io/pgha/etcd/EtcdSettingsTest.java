package io.pgha.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.common.ConfigException;
import io.pgha.common.YamlSection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EtcdSettingsTest {
  @TempDir Path dir;

  private static EtcdSettings parse(String yaml) throws Exception {
    return EtcdSettings.from(YamlSection.of(yaml, "etcd"));
  }

  @Test
  void theBriefsExampleWithDefaults() throws Exception {
    EtcdSettings s = parse("""
        etcd:
          endpoints: [http://127.0.0.11:2379, http://127.0.0.12:2379/, http://127.0.0.13:2379]
          scopes: [pgha]
        """);
    assertThat(s.endpoints()).containsExactly(URI.create("http://127.0.0.11:2379"),
        URI.create("http://127.0.0.12:2379"), URI.create("http://127.0.0.13:2379"));
    assertThat(s.namespace()).isEqualTo("/service/");
    assertThat(s.leaderKey("pgha")).isEqualTo("/service/pgha/leader");
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.resyncInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.tls()).isFalse();
    assertThat(s.username()).isEmpty();
  }

  @Test
  void theNamespaceIsNormalisedLikePatroniDoes() {
    assertThat(EtcdSettings.normalizeNamespace("service")).isEqualTo("/service/");
    assertThat(EtcdSettings.normalizeNamespace("/db")).isEqualTo("/db/");
    assertThat(EtcdSettings.normalizeNamespace("/")).isEqualTo("/");
  }

  @Test
  void thePasswordIsReadFromItsFileAndNeverShown() throws Exception {
    Path secret = dir.resolve("etcd.password");
    Files.writeString(secret, "s3cr3t-pw\n");
    EtcdSettings s = parse("""
        etcd:
          endpoints: [http://127.0.0.11:2379]
          scopes: [pgha]
          username: pgha
          password_file: %s
          request_timeout: 500ms
        """.formatted(secret));
    assertThat(s.passwordFile().orElseThrow().read()).isEqualTo("s3cr3t-pw");
    assertThat(s.toString()).doesNotContain("s3cr3t-pw").contains("password_file " + secret);
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofMillis(500));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      etcd: {scopes: [pgha]}                                                                      | etcd.endpoints: is required
      etcd: {endpoints: [http://127.0.0.11:2379], scopes: [pgha, pgha]}                           | etcd.scopes[1]: listed twice: pgha
      etcd: {endpoints: [http://127.0.0.11:2379], scopes: []}                                     | etcd.scopes: must not be empty
      etcd: {endpoints: [http://127.0.0.11:2379], scopes: [pgha], username: u}                    | etcd.password_file: is required when username is set
      etcd: {endpoints: [http://127.0.0.11:2379], scopes: [pgha], password_file: /nonexistent/pw} | etcd.password_file: no such file: /nonexistent/pw
      etcd: {endpoints: [http://127.0.0.11:2379], scopes: [pgha], ca_file: /nonexistent/ca.pem}   | etcd.ca_file: no such file: /nonexistent/ca.pem
      etcd: {endpoints: [http://127.0.0.11:2379], scopes: [pgha], resync_interval: 0s}            | etcd.resync_interval: must be positive
      """)
  void errorsNameTheKeyAndTheProblem(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  /** Where the message goes on with what was given (the value, the known keys). */
  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      etcd: {endpoints: [http://127.0.0.11:2379, '127.0.0.12:2379'], scopes: [pgha]}       | etcd.endpoints[1]: not a URL
      etcd: {endpoints: [http://127.0.0.11], scopes: [pgha]}                               | etcd.endpoints[0]: needs an explicit port
      etcd: {endpoints: [http://127.0.0.11:2379, https://127.0.0.12:2379], scopes: [pgha]} | etcd.endpoints: mixes http and https
      etcd: {endpoints: [http://127.0.0.11:2379], scopes: [pgha, 'a/b']}                   | etcd.scopes[1]: not a Patroni scope
      etcd: {endpoints: [http://127.0.0.11:2379], scopes: [pgha], endpoint: x}             | etcd.endpoint: unknown key
      """)
  void errorsStartWithTheKeyAndTheProblem(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
  }

  @Test
  void aCaFileWithPlainHttpEndpointsIsAMismatch() throws Exception {
    Path ca = dir.resolve("ca.pem");
    Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n");
    assertThatThrownBy(() -> parse("etcd: {endpoints: [http://127.0.0.11:2379], scopes: [pgha], ca_file: %s}".formatted(ca)))
        .hasMessageStartingWith("etcd.ca_file: is set but the endpoints use http");
  }
}
