package io.pgha.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pgha.common.ConfigException;
import io.pgha.common.ConfigNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdSettingsTest {
  @TempDir Path dir;

  private static EtcdSettings parse(String yaml) throws Exception {
    return EtcdSettings.from(ConfigNode.root(new YAMLMapper().readTree(yaml)).required("etcd"));
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

  @Test
  void errorsNameTheKeyAndTheProblem() {
    assertThatThrownBy(() -> parse("etcd: {scopes: [pgha]}")).isInstanceOf(ConfigException.class)
        .hasMessage("etcd.endpoints: is required");
    assertThatThrownBy(() -> parse("etcd: {endpoints: [http://127.0.0.11:2379, '127.0.0.12:2379'], scopes: [pgha]}"))
        .hasMessageStartingWith("etcd.endpoints[1]: not a URL");
    assertThatThrownBy(() -> parse("etcd: {endpoints: [http://127.0.0.11], scopes: [pgha]}"))
        .hasMessageStartingWith("etcd.endpoints[0]: needs an explicit port");
    assertThatThrownBy(() -> parse("etcd: {endpoints: [http://127.0.0.11:2379, https://127.0.0.12:2379], scopes: [pgha]}"))
        .hasMessageStartingWith("etcd.endpoints: mixes http and https");
    assertThatThrownBy(() -> parse("etcd: {endpoints: [http://127.0.0.11:2379], scopes: [pgha, 'a/b']}"))
        .hasMessageStartingWith("etcd.scopes[1]: not a Patroni scope");
    assertThatThrownBy(() -> parse("etcd: {endpoints: [http://127.0.0.11:2379], scopes: [pgha, pgha]}"))
        .hasMessage("etcd.scopes[1]: listed twice: pgha");
    assertThatThrownBy(() -> parse("etcd: {endpoints: [http://127.0.0.11:2379], scopes: []}"))
        .hasMessage("etcd.scopes: must not be empty");
    assertThatThrownBy(() -> parse("etcd: {endpoints: [http://127.0.0.11:2379], scopes: [pgha], username: u}"))
        .hasMessage("etcd.password_file: is required when username is set");
    assertThatThrownBy(() -> parse("etcd: {endpoints: [http://127.0.0.11:2379], scopes: [pgha], password_file: /nonexistent/pw}"))
        .hasMessage("etcd.password_file: no such file: /nonexistent/pw");
    assertThatThrownBy(() -> parse("etcd: {endpoints: [http://127.0.0.11:2379], scopes: [pgha], ca_file: /nonexistent/ca.pem}"))
        .hasMessage("etcd.ca_file: no such file: /nonexistent/ca.pem");
    assertThatThrownBy(() -> parse("etcd: {endpoints: [http://127.0.0.11:2379], scopes: [pgha], resync_interval: 0s}"))
        .hasMessage("etcd.resync_interval: must be positive");
    assertThatThrownBy(() -> parse("etcd: {endpoints: [http://127.0.0.11:2379], scopes: [pgha], endpoint: x}"))
        .hasMessageStartingWith("etcd.endpoint: unknown key");
  }

  @Test
  void aCaFileWithPlainHttpEndpointsIsAMismatch() throws Exception {
    Path ca = dir.resolve("ca.pem");
    Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n");
    assertThatThrownBy(() -> parse("etcd: {endpoints: [http://127.0.0.11:2379], scopes: [pgha], ca_file: %s}".formatted(ca)))
        .hasMessageStartingWith("etcd.ca_file: is set but the endpoints use http");
  }
}
