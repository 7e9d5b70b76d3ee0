package io.pgha.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pgha.common.CapturedStderr;
import io.pgha.common.ConfigException;
import io.pgha.common.ConfigNode;
import io.pgha.common.ExporterCommand;
import io.pgha.common.ExporterProcess;
import io.pgha.common.TestPki;
import io.pgha.testkit.ThrowawayPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * exporter-postgres against a real PostgreSQL with {@code ssl = on} that lets the monitoring role
 * in only over SSL and with a client certificate of its CA ({@code hostssl ... clientcert=verify-ca}):
 * libpq's sslmode, sslrootcert, sslcert and sslkey per target or for all, keys in the formats
 * OpenSSL writes, each bad certificate (up 0 and one line naming the file and the reason), and
 * a client certificate replaced on disk.
 */
class PostgresTlsTest {
  private static final String PASSWORD = UUID.randomUUID().toString();
  private static final String HOST = ThrowawayPostgres.HOST;
  @TempDir static Path pkiDir;
  private static TestPki ca;
  private static TestPki otherCa;
  private static TestPki.Issued client;
  private static ThrowawayPostgres pg;

  @TempDir Path tmp;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @RegisterExtension final CapturedStderr log = new CapturedStderr();

  @BeforeAll
  static void startPostgres() throws Exception {
    ca = TestPki.create(pkiDir, "pg-ca");
    otherCa = TestPki.create(pkiDir, "other-ca");
    client = ca.issue("pgha_monitor");
    TestPki.Issued server = ca.issue("pg-1", HOST, "pg-1");
    pg = new ThrowawayPostgres();
    pg.createMonitorRole("pgha_monitor", PASSWORD);
    pg.enableSsl(server.certFile(), server.keyFile(), ca.caFile(),
        "hostssl all pgha_monitor " + HOST + "/32 scram-sha-256 clientcert=verify-ca\n"
            + "hostnossl all pgha_monitor " + HOST + "/32 reject\n"
            + "host all all " + HOST + "/32 scram-sha-256");
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  private ExporterProcess exporter(String sectionTls, String targets) throws Exception {
    Path passwordFile = tmp.resolve("pgha_monitor.password");
    Files.writeString(passwordFile, PASSWORD + "\n");
    ThrowawayPostgres.restrict(passwordFile);
    Path config = tmp.resolve("config.yml");
    Files.writeString(config, """
        postgres:
          username: pgha_monitor
          password_file: %s
          connect_timeout: 3s
        %s  targets:
        %s""".formatted(passwordFile, sectionTls, targets));
    return ExporterCommand.start(PostgresExporter.SPEC, Map.of(), "--config", config.toString(),
        "--web.listen-address=" + HOST + ":0");
  }

  private static String files(String indent, Path root, TestPki.Issued pair) {
    return (root == null ? "" : indent + "sslrootcert: " + root + "\n")
        + (pair == null ? "" : indent + "sslcert: " + pair.certFile() + "\n" + indent + "sslkey: " + pair.keyFile() + "\n");
  }

  private static String target(String member, String host, String extra) {
    return "    - {scope: pgha, member: %s, host: %s, port: %d%s}\n".formatted(member, host, pg.port(), extra);
  }

  /** {@code pgha_postgres_up} of each member, after a scrape with a long deadline (a cold JVM's first handshake is slow). */
  private Map<String, Double> up(ExporterProcess exporter, String... members) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":"
        + exporter.port(PostgresExporter.NAME) + "/metrics")).header("X-Prometheus-Scrape-Timeout-Seconds", "20")
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    java.util.TreeMap<String, Double> out = new java.util.TreeMap<>();
    for (String m : members) {
      String series = "pgha_postgres_up{member=\"" + m + "\",scope=\"pgha\"} ";
      out.put(m, r.body().lines().filter(l -> l.startsWith(series)).mapToDouble(l -> Double.parseDouble(l.substring(series.length())))
          .findFirst().orElseThrow(() -> new AssertionError("no " + series + " in\n" + r.body())));
    }
    return out;
  }

  /** Down on three scrapes, the reason in exactly one log line, which shows no key. */
  private void assertDownWithOneLine(ExporterProcess exporter, String reason) throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(up(exporter, "pg-1")).containsEntry("pg-1", 0.0);
    }
    String logged = log.text();
    List<String> lines = logged.lines().filter(l -> l.contains(reason)).toList();
    assertThat(lines).as("lines with '%s' in:\n%s", reason, logged).hasSize(1);
    assertThat(lines.get(0)).contains("level=warn").containsPattern("pgha/pg-1 \\([a-z0-9.]+:" + pg.port() + "/postgres\\): cannot connect: ");
    assertThat(logged).doesNotContain(PASSWORD);
  }

  private String clientSerialSeenByServer() throws Exception {
    return pg.sql("SELECT s.client_serial FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) "
        + "WHERE a.application_name = '" + PgTargetClient.APPLICATION_NAME + "'");
  }

  private static String decimalSerial(Path cert) throws Exception {
    return new java.math.BigInteger(TestPki.serial(cert).strip(), 16).toString();
  }

  @Test
  void verifyFullWithAClientCertificateForAllTargetsAndOneTargetOverridingIt() throws Exception {
    String forAll = "  sslmode: verify-full\n" + files("  ", ca.caFile(), client);
    try (ExporterProcess exporter = exporter(forAll,
        target("pg-1", HOST, "") + target("pg-2", HOST, ", sslmode: disable"))) {
      assertThat(up(exporter, "pg-1", "pg-2")).containsEntry("pg-1", 1.0).containsEntry("pg-2", 0.0);
      assertThat(clientSerialSeenByServer()).isEqualTo(decimalSerial(client.certFile()));
    }
    assertThat(log.text()).contains("pg_hba.conf rejects connection for host");
  }

  @Test
  void keysInPkcs1AndSec1AreReadAsWell() throws Exception {
    TestPki.Issued rsa = ca.issueRsaPkcs1("rsa-monitor");
    Path sec1 = TestPki.traditional(client.keyFile(), tmp.resolve("sec1.key"));
    try (ExporterProcess exporter = exporter("  sslmode: verify-full\n  sslrootcert: " + ca.caFile() + "\n",
        target("pg-1", HOST, ", sslcert: " + rsa.certFile() + ", sslkey: " + rsa.keyFile())
            + target("pg-2", HOST, ", sslcert: " + client.certFile() + ", sslkey: " + sec1))) {
      assertThat(up(exporter, "pg-1", "pg-2")).containsEntry("pg-1", 1.0).containsEntry("pg-2", 1.0);
    }
  }

  @Test
  void aServerSignedByAnotherCaIsRefusedNamingTheRootCertificate() throws Exception {
    try (ExporterProcess exporter = exporter("", target("pg-1", HOST, ", sslmode: verify-ca"
        + ", sslrootcert: " + otherCa.caFile() + ", sslcert: " + client.certFile() + ", sslkey: " + client.keyFile()))) {
      assertDownWithOneLine(exporter, "the server's certificate (CN=pg-1), issued by CN=pg-ca, is not signed by a trusted CA, "
          + "checked against postgres.targets[0].sslrootcert " + otherCa.caFile());
    }
  }

  @Test
  void verifyFullChecksTheHostNameAndVerifyCaDoesNot() throws Exception {
    String tls = ", sslrootcert: " + ca.caFile() + ", sslcert: " + client.certFile() + ", sslkey: " + client.keyFile();
    try (ExporterProcess exporter = exporter("", target("pg-1", "localhost", ", sslmode: verify-full" + tls))) {
      assertDownWithOneLine(exporter, "the server's certificate (CN=pg-1) is not valid for localhost: it names IP:" + HOST + ", DNS:pg-1");
    }
    try (ExporterProcess exporter = exporter("", target("pg-1", "localhost", ", sslmode: verify-ca" + tls))) {
      assertThat(up(exporter, "pg-1")).containsEntry("pg-1", 1.0);
    }
  }

  @Test
  void expiredNotYetValidAndMismatchedClientCertificatesAreRefusedBeforeConnecting() throws Exception {
    Instant now = Instant.now();
    TestPki.Issued expired = ca.issue("expired", now.minus(Duration.ofDays(2)), now.minus(Duration.ofHours(1)));
    try (ExporterProcess exporter = exporter("  sslmode: verify-full\n" + files("  ", ca.caFile(), expired), target("pg-1", HOST, ""))) {
      assertDownWithOneLine(exporter, "postgres.sslcert " + expired.certFile() + ": the certificate (CN=expired) expired on ");
    }
    log.reset();
    TestPki.Issued early = ca.issue("early", now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)));
    try (ExporterProcess exporter = exporter("  sslmode: verify-full\n" + files("  ", ca.caFile(), early), target("pg-1", HOST, ""))) {
      assertDownWithOneLine(exporter, "postgres.sslcert " + early.certFile() + ": the certificate (CN=early) is not valid before ");
    }
    log.reset();
    TestPki.Issued other = ca.issue("other");
    try (ExporterProcess exporter = exporter("  sslmode: verify-full\n"
        + files("  ", ca.caFile(), new TestPki.Issued(client.certFile(), other.keyFile())), target("pg-1", HOST, ""))) {
      assertDownWithOneLine(exporter, "postgres.sslkey " + other.keyFile() + ": the key does not belong to the certificate in "
          + "postgres.sslcert " + client.certFile() + " (CN=pgha_monitor)");
    }
  }

  @Test
  void aClientCertificateFromAnotherCaIsRefusedByTheServer() throws Exception {
    TestPki.Issued foreign = otherCa.issue("pgha_monitor");
    try (ExporterProcess exporter = exporter("  sslmode: verify-full\n" + files("  ", ca.caFile(), foreign), target("pg-1", HOST, ""))) {
      // PostgreSQL (OpenSSL, TLS 1.3) drops the connection without an alert the client reads.
      assertDownWithOneLine(exporter, "the server closed the connection during the TLS handshake; if it refused the client "
          + "certificate in postgres.sslcert " + foreign.certFile() + ", its own log says why");
    }
  }

  @Test
  void aClientCertificateReplacedOnDiskIsUsedFromTheNextScrapeWithoutARestart() throws Exception {
    Path cert = tmp.resolve("client.crt");
    Path key = tmp.resolve("client.key");
    TestPki.install(client, cert, key);
    try (ExporterProcess exporter = exporter("  sslmode: verify-full\n" + files("  ", ca.caFile(), new TestPki.Issued(cert, key)),
        target("pg-1", HOST, ""))) {
      assertThat(up(exporter, "pg-1")).containsEntry("pg-1", 1.0);
      assertThat(clientSerialSeenByServer()).isEqualTo(decimalSerial(client.certFile()));

      TestPki.Issued renewed = ca.issue("pgha_monitor-renewed");
      TestPki.install(renewed, cert, key);
      assertThat(up(exporter, "pg-1")).containsEntry("pg-1", 1.0);
      assertThat(clientSerialSeenByServer()).as("a new connection with the new certificate").isEqualTo(decimalSerial(renewed.certFile()));
    }
  }

  @Test
  void sslSettingsThatCannotWorkAreConfigurationErrors() {
    assertThatThrownBy(() -> parse("{sslmode: verify-full, targets: [{scope: a, member: b, host: h}]}"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("postgres.sslrootcert: is required with sslmode verify-full (the CA the server's certificate is checked against)");
    assertThatThrownBy(() -> parse("{targets: [{scope: a, member: b, host: h, sslmode: verify-everything}]}"))
        .hasMessageStartingWith("postgres.targets[0].sslmode: unknown sslmode verify-everything (want one of disable, allow");
    assertThatThrownBy(() -> parse("{sslmode: disable, sslrootcert: " + ca.caFile() + ", targets: [{scope: a, member: b, host: h}]}"))
        .hasMessage("postgres.sslrootcert: is set but sslmode is disable");
    assertThatThrownBy(() -> parse("{sslcert: " + client.certFile() + ", targets: [{scope: a, member: b, host: h}]}"))
        .hasMessage("postgres.sslkey: is required with postgres.sslcert");
    assertThatThrownBy(() -> parse("{targets: [{scope: a, member: b, url: 'jdbc:postgresql://h/postgres?sslmode=require&sslcert=/x'}]}"))
        .hasMessageStartingWith("postgres.targets[0].url: must not set sslcert; give the target's sslrootcert, sslcert and sslkey");
    assertThatThrownBy(() -> parse("{targets: [{scope: a, member: b, url: 'jdbc:postgresql://h/postgres?sslmode=require', sslmode: disable}]}"))
        .hasMessage("postgres.targets[0].sslmode: the target's url sets sslmode too; give it in one place");
  }

  private static PostgresConfig parse(String section) throws Exception {
    return PostgresConfig.parse(ConfigNode.root(new YAMLMapper().readTree("postgres: " + section.replaceFirst("\\{", "{username: u, ")))
        .required("postgres"), Map.of());
  }
}
