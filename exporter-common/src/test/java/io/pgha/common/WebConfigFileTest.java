package io.pgha.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class WebConfigFileTest {
  /** Made independently of the library under test: Python's crypt (libxcrypt), cost 4. */
  private static final String LIBXCRYPT_HASH = "$2b$04$s6pRjG.hZEpIFc.mmj.DUuzpOXNYZqn2PGwtc8g2LTo5emP2K/MHi";
  private static final String LIBXCRYPT_PASSWORD = "s3cret-pw";
  private static final String PASSWORD = "correct horse battery staple";

  @TempDir Path dir;
  @RegisterExtension final CapturedStderr log = new CapturedStderr();




  private ExporterProcess start(String webConfigYaml) throws Exception {
    Path config = dir.resolve("config.yml");
    Files.writeString(config, "demo: {scope: pgha}\n");
    Path web = dir.resolve("web.yml");
    Files.writeString(web, webConfigYaml);
    return ExporterCommand.start(DemoExporter.spec(), Map.of(), "--config", config.toString(),
        "--web.listen-address=127.0.0.1:0", "--web.config.file", web.toString());
  }

  private static HttpResponse<String> get(HttpClient client, String url, String user, String password) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (user != null) {
      String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      request.header("Authorization", "Basic " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void basicAuthAcceptsTheRightPasswordOnlyAndLogsNoSecret() throws Exception {
    String hash = BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray());
    String yaml = "basic_auth_users:\n  prometheus: '" + hash + "'\n  legacy: '" + LIBXCRYPT_HASH + "'\n"
        + "  apache: '" + LIBXCRYPT_HASH.replace("$2b$", "$2y$") + "'\n";
    try (ExporterProcess running = start(yaml)) {
      HttpClient http = HttpClient.newHttpClient();
      String metrics = "http://127.0.0.1:" + running.port("demo") + "/metrics";

      HttpResponse<String> ok = get(http, metrics, "prometheus", PASSWORD);
      assertThat(ok.statusCode()).isEqualTo(200);
      String page = "http://127.0.0.1:" + running.port("demo") + "/scope";
      assertThat(get(http, page, null, null).statusCode()).as("an exporter's own page is guarded too").isEqualTo(401);
      assertThat(get(http, page, "prometheus", PASSWORD).body()).isEqualTo("pgha\n");
      assertThat(ok.body()).contains("pgha_demo_up{scope=\"pgha\"} 1.0");
      assertThat(get(http, metrics, "prometheus", PASSWORD).statusCode()).as("remembered").isEqualTo(200);
      assertThat(get(http, metrics, "legacy", LIBXCRYPT_PASSWORD).statusCode()).as("$2b$ from libxcrypt").isEqualTo(200);
      assertThat(get(http, metrics, "apache", LIBXCRYPT_PASSWORD).statusCode()).as("$2y$ as htpasswd writes").isEqualTo(200);

      HttpResponse<String> wrong = get(http, metrics, "prometheus", "wrong password");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic "));
      assertThat(get(http, metrics, "nobody", PASSWORD).statusCode()).isEqualTo(401);
      assertThat(get(http, metrics, "prometheus", PASSWORD + "x").statusCode()).isEqualTo(401);
      assertThat(get(http, metrics, "legacy", "x".repeat(500)).statusCode()).as("overlong password").isEqualTo(401);
      assertThat(get(http, metrics, null, null).statusCode()).isEqualTo(401);
      assertThat(get(http, "http://127.0.0.1:" + running.port("demo") + "/", null, null).statusCode())
          .as("the landing page is protected too").isEqualTo(401);
      HttpResponse<String> garbled = http.send(HttpRequest.newBuilder(URI.create(metrics))
          .header("Authorization", "Basic %%%not-base64").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(garbled.statusCode()).isEqualTo(401);
    }
    String logged = log.text();
    assertThat(logged).contains("basic auth, 3 users")
        .doesNotContain(PASSWORD).doesNotContain("wrong password").doesNotContain(LIBXCRYPT_PASSWORD)
        .doesNotContain(hash).doesNotContain(LIBXCRYPT_HASH.substring(7));
  }

  @Test
  void servesTlsWithTheConfiguredCertificateAndHeaders() throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    String yaml = """
        tls_server_config:
          cert_file: cert.pem
          key_file: key.pem
          min_version: TLS12
        http_server_config:
          headers:
            X-Content-Type-Options: nosniff
        """;
    try (ExporterProcess running = start(yaml)) {
      HttpClient trusting = HttpClient.newBuilder().sslContext(certs.trustingContext()).build();
      HttpResponse<String> response = get(trusting, "https://127.0.0.1:" + running.port("demo") + "/metrics", null, null);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("pgha_demo_up{scope=\"pgha\"} 1.0");
      assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

      assertThatThrownBy(() -> get(HttpClient.newHttpClient(), "https://127.0.0.1:" + running.port("demo") + "/metrics", null, null))
          .as("a client that does not trust the certificate").isInstanceOf(SSLHandshakeException.class);
      assertThatThrownBy(() -> get(trusting, "http://127.0.0.1:" + running.port("demo") + "/metrics", null, null))
          .as("plain HTTP on the TLS port").isInstanceOfAny(java.io.IOException.class, ConnectException.class);
    }
  }

  /** The serial number of the certificate the server presents to a new connection. */
  private static String servedSerial(int port, Path caFile) throws Exception {
    io.pgha.common.tls.TlsMaterial trust = io.pgha.common.tls.TlsMaterial.client(new io.pgha.common.tls.TlsFiles(
        java.util.Optional.of(new io.pgha.common.tls.TlsFiles.File("ca_file", caFile)), java.util.Optional.empty(),
        java.util.Optional.empty()), true);
    HttpClient fresh = HttpClient.newBuilder().sslContext(trust.sslContext()).build();
    HttpResponse<String> r = get(fresh, "https://127.0.0.1:" + port + "/metrics", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    java.security.cert.X509Certificate served = (java.security.cert.X509Certificate)
        r.sslSession().orElseThrow().getPeerCertificates()[0];
    return served.getSerialNumber().toString(16);
  }

  @Test
  void aServerCertificateReplacedOnDiskIsServedWithoutARestart() throws Exception {
    TestPki pki = TestPki.create(dir, "web-ca");
    TestPki.Issued first = pki.issue("exporter", "127.0.0.1");
    TestPki.install(first, dir.resolve("cert.pem"), dir.resolve("key.pem"));
    try (ExporterProcess running = start("tls_server_config: {cert_file: cert.pem, key_file: key.pem}\n")) {
      int port = running.port("demo");
      String before = servedSerial(port, pki.caFile());
      assertThat(before).isEqualToIgnoringCase(TestPki.serial(first.certFile()).replaceFirst("^0+", ""));

      TestPki.Issued renewed = pki.issue("exporter-renewed", "127.0.0.1");
      TestPki.install(renewed, dir.resolve("cert.pem"), dir.resolve("key.pem"));
      assertThat(servedSerial(port, pki.caFile()))
          .isEqualToIgnoringCase(TestPki.serial(renewed.certFile()).replaceFirst("^0+", ""));
    }
    assertThat(log.text()).contains("read again (certificate CN=exporter-renewed");
  }

  @Test
  void badWebConfigNamesTheFileAndTheKeyButNeverTheValue() throws Exception {
    Path web = dir.resolve("web.yml");
    String prefix = "--web.config.file " + web + ": ";

    Files.writeString(web, "basic_auth_users:\n  alice: hunter2\n");
    assertThatThrownBy(() -> WebConfigFile.read(web)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(prefix + "basic_auth_users.alice: not a bcrypt hash")
        .hasMessageNotContaining("hunter2");

    Files.writeString(web, "tls_server_config:\n  cert_file: missing.pem\n  key_file: key.pem\n");
    assertThatThrownBy(() -> WebConfigFile.read(web))
        .hasMessageStartingWith(prefix + "tls_server_config.cert_file: no such file: " + dir.resolve("missing.pem"));

    Files.writeString(dir.resolve("not-a-cert.pem"), "hello\n");
    Files.writeString(web, "tls_server_config:\n  cert_file: not-a-cert.pem\n  key_file: key.pem\n");
    assertThatThrownBy(() -> WebConfigFile.read(web))
        .hasMessageStartingWith(prefix + "tls_server_config.cert_file: not a PEM file with a CERTIFICATE");

    TestCertificates.create(dir);
    Files.writeString(web, "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_auth_type: RequireAnyClientCert\n");
    assertThatThrownBy(() -> WebConfigFile.read(web))
        .hasMessageStartingWith(prefix + "tls_server_config.client_auth_type: RequireAnyClientCert");
    Files.writeString(web, "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_auth_type: RequireAndVerifyClientCert\n");
    assertThatThrownBy(() -> WebConfigFile.read(web))
        .hasMessageStartingWith(prefix + "tls_server_config.client_ca_file: is required");
    Files.writeString(web, "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  min_version: TLS14\n");
    assertThatThrownBy(() -> WebConfigFile.read(web))
        .hasMessageStartingWith(prefix + "tls_server_config.min_version: unknown TLS version TLS14");

    Files.writeString(web, "tls_server_config: {cert_file: cert.pem, key_file: key.pem}\nbasic_auth_user: {}\n");
    assertThatThrownBy(() -> WebConfigFile.read(web)).hasMessageStartingWith(prefix + "basic_auth_user: unknown key");

    TestPki other = TestPki.create(dir, "other-ca");
    Files.copy(other.issue("stranger").keyFile(), dir.resolve("stranger.key"));
    Files.writeString(web, "tls_server_config: {cert_file: cert.pem, key_file: stranger.key}\n");
    assertThatThrownBy(() -> WebConfigFile.read(web))
        .hasMessageStartingWith(prefix + "tls_server_config.key_file: " + dir.resolve("stranger.key")
            + ": the key does not belong to the certificate in tls_server_config.cert_file " + dir.resolve("cert.pem"));

    assertThatThrownBy(() -> WebConfigFile.read(dir.resolve("absent.yml")))
        .hasMessage("--web.config.file: no such file: " + dir.resolve("absent.yml"));
  }

  @Test
  void anEmptyFileMeansPlainHttpWithoutAuthentication() throws Exception {
    Path web = dir.resolve("web.yml");
    Files.writeString(web, "");
    WebConfig config = WebConfigFile.read(web);
    assertThat(config.tls()).isFalse();
    assertThat(config.basicAuth()).isEmpty();
  }
}
