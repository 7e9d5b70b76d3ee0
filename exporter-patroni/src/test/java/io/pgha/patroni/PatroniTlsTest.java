package io.pgha.patroni;

import static io.pgha.patroni.Recordings.V3;
import static io.pgha.patroni.Recordings.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.common.CapturedStderr;
import io.pgha.common.CollectorSet;
import io.pgha.common.ConfigException;
import io.pgha.common.ScrapeEngine;
import io.pgha.common.TestPki;
import io.pgha.common.TextExposition;
import io.pgha.common.YamlSection;
import io.pgha.common.tls.TlsFiles;
import io.pgha.common.tls.TlsMaterial;
import io.pgha.testkit.FakePatroni;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * exporter-patroni against stand-ins for three members serving HTTPS and requiring a client
 * certificate (Patroni's {@code verify_client: required}): the good case, each bad certificate
 * (up 0, one line naming the file and the reason), a client certificate replaced on disk, and
 * {@code insecure_skip_verify}.
 */
class PatroniTlsTest {
  private static final List<String> MEMBERS = List.of("pg-1", "pg-2", "pg-3");

  @TempDir static Path pkiDir;
  @TempDir Path dir;
  private static TestPki ca;
  private static TestPki otherCa;
  private static TestPki.Issued client;

  private Vertx vertx;
  private final List<FakePatroni> fakes = new ArrayList<>();
  private final List<CollectorSet> exporters = new ArrayList<>();
  @RegisterExtension final CapturedStderr log = new CapturedStderr();

  @BeforeAll
  static void pki() throws Exception {
    ca = TestPki.create(pkiDir, "patroni-ca");
    otherCa = TestPki.create(pkiDir, "other-ca");
    client = ca.issue("pgha-exporter");
  }

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    exporters.forEach(CollectorSet::close);
    fakes.forEach(FakePatroni::close);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Three members serving the recorded cluster over HTTPS with {@code serverPair}, requiring a client certificate of {@code ca}. */
  private void startMembers(TestPki.Issued serverPair) throws Exception {
    TlsMaterial server = TlsMaterial.server(new TlsFiles(Optional.of(new TlsFiles.File("ca", ca.caFile())),
        Optional.of(new TlsFiles.File("cert", serverPair.certFile())), Optional.of(new TlsFiles.File("key", serverPair.keyFile()))));
    HttpServerOptions options = new HttpServerOptions().setSsl(true).setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(KeyCertOptions.wrap(server.keyManager())).setTrustOptions(TrustOptions.wrap(server.trustManager()));
    for (int i = 0; i < MEMBERS.size(); i++) {
      fakes.add(new FakePatroni(vertx, options).closingEachConnection());
    }
    for (int i = 0; i < MEMBERS.size(); i++) {
      String name = MEMBERS.get(i);
      String dir = V3 + "05-after-failovers/";
      fakes.get(i).reply("/cluster", FakePatroni.Reply.json(recorded(dir + "cluster.json")))
          .reply("/history", FakePatroni.Reply.json(recorded(dir + "history.json")))
          .reply("/patroni", FakePatroni.Reply.json(recorded(dir + "patroni-" + name + ".json")));
    }
  }

  private String recorded(String resource) {
    String text = Recordings.text(resource);
    for (int i = 0; i < MEMBERS.size(); i++) {
      text = text.replace("http://127.0.2.2" + (i + 1) + ":8008", "https://" + fakes.get(i).base());
    }
    return text;
  }

  private ScrapeEngine engine(String tlsYaml) throws Exception {
    String urls = String.join(", ", fakes.stream().map(f -> "https://" + f.base()).toList());
    String yaml = "patroni:\n" + tlsYaml + "  clusters:\n    - scope: h2demo\n      members: [" + urls + "]\n";
    CollectorSet exporter = PatroniExporter.collectors(vertx,
        PatroniConfig.parse(YamlSection.of(yaml, "patroni")));
    exporters.add(exporter);
    return new ScrapeEngine(vertx, "patroni", "test", exporter.collectors());
  }

  private static String files(Path caFile, TestPki.Issued pair) {
    return (caFile == null ? "" : "  ca_file: " + caFile + "\n")
        + (pair == null ? "" : "  cert_file: " + pair.certFile() + "\n  key_file: " + pair.keyFile() + "\n");
  }

  /** A long deadline: a cold JVM's first handshakes load much of JSSE, which is slow on a busy machine. */
  private static String scrape(ScrapeEngine engine) throws Exception {
    return TextExposition.render(engine.scrape(20_000).await(30, TimeUnit.SECONDS));
  }

  private static String up(ScrapeEngine engine) throws Exception {
    return samples(scrape(engine), List.of(PatroniMetrics.UP.name()));
  }

  private static final String UP = "pgha_patroni_up{scope=\"h2demo\"} 1.0\n";
  private static final String DOWN = "pgha_patroni_up{scope=\"h2demo\"} 0.0\n";

  /** Three scrapes are down, and the reason is in exactly one log line. */
  private void assertDownWithOneLine(ScrapeEngine engine, String reason) throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(up(engine)).isEqualTo(DOWN);
    }
    String logged = log.text();
    List<String> lines = logged.lines().filter(l -> l.contains(reason)).toList();
    assertThat(lines).as("lines with '%s' in:\n%s", reason, logged).hasSize(1);
    assertThat(lines.get(0)).contains("level=warn").contains("no member answered /cluster");
  }

  @Test
  void presentsItsClientCertificateAndChecksTheMembersAgainstTheCa() throws Exception {
    startMembers(ca.issue("pg", "127.0.0.1"));
    ScrapeEngine engine = engine(files(ca.caFile(), client));
    assertThat(samples(scrape(engine), List.of("pgha_patroni_up", "pgha_patroni_member_up"))).isEqualTo("""
        pgha_patroni_member_up{member="pg-1",scope="h2demo"} 1.0
        pgha_patroni_member_up{member="pg-2",scope="h2demo"} 1.0
        pgha_patroni_member_up{member="pg-3",scope="h2demo"} 1.0
        pgha_patroni_up{scope="h2demo"} 1.0
        """);
    assertThat(fakes.get(0).lastClientCertificate).isEqualToIgnoringCase(serial(client.certFile()));

    assertThat(up(engine(files(ca.caFile(), null))))
        .as("without a client certificate the members refuse").isEqualTo(DOWN);
    assertThat(log.text())
        .contains("the server asks for a client certificate and none is configured (TLS alert");
  }

  @Test
  void membersSignedByAnotherCaAreRefusedWithTheCaFileNamed() throws Exception {
    startMembers(otherCa.issue("pg", "127.0.0.1"));
    assertDownWithOneLine(engine(files(ca.caFile(), client)), "the server's certificate (CN=pg), issued by CN=other-ca, "
        + "is not signed by a trusted CA, checked against patroni.ca_file " + ca.caFile());
  }

  @Test
  void aMemberCertificateForAnotherHostIsRefused() throws Exception {
    startMembers(ca.issue("pg-2", "127.0.0.22", "pg-2"));
    assertDownWithOneLine(engine(files(ca.caFile(), client)),
        "the server's certificate (CN=pg-2) is not valid for 127.0.0.1: it names IP:127.0.0.22, DNS:pg-2");
  }

  @Test
  void anExpiredOrNotYetValidClientCertificateIsNotEvenTried() throws Exception {
    startMembers(ca.issue("pg", "127.0.0.1"));
    Instant now = Instant.now();
    TestPki.Issued expired = ca.issue("expired", now.minus(Duration.ofDays(2)), now.minus(Duration.ofHours(1)));
    assertDownWithOneLine(engine(files(ca.caFile(), expired)),
        "patroni.cert_file " + expired.certFile() + ": the certificate (CN=expired) expired on ");
    TestPki.Issued early = ca.issue("early", now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)));
    log.reset();
    assertDownWithOneLine(engine(files(ca.caFile(), early)),
        "patroni.cert_file " + early.certFile() + ": the certificate (CN=early) is not valid before ");
    assertThat(fakes.stream().mapToInt(f -> f.hits.size())).as("no request reached a member").allMatch(n -> n == 0);
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedNamingBothFilesButNotTheKey() throws Exception {
    startMembers(ca.issue("pg", "127.0.0.1"));
    TestPki.Issued other = ca.issue("other");
    assertDownWithOneLine(engine(files(ca.caFile(), new TestPki.Issued(client.certFile(), other.keyFile()))),
        "patroni.key_file " + other.keyFile() + ": the key does not belong to the certificate in patroni.cert_file "
            + client.certFile() + " (CN=pgha-exporter)");
    String key = java.nio.file.Files.readString(other.keyFile());
    assertThat(log.text()).doesNotContain(key.lines().skip(1).findFirst().orElseThrow());
  }

  @Test
  void aClientCertificateReplacedOnDiskIsPresentedFromTheNextScrapeWithoutARestart() throws Exception {
    startMembers(ca.issue("pg", "127.0.0.1"));
    TestPki.Issued installed = new TestPki.Issued(dir.resolve("client.crt"), dir.resolve("client.key"));
    TestPki.install(client, installed.certFile(), installed.keyFile());
    ScrapeEngine engine = engine(files(ca.caFile(), installed));
    assertThat(up(engine)).isEqualTo(UP);
    assertThat(fakes.get(0).lastClientCertificate).isEqualToIgnoringCase(serial(client.certFile()));

    TestPki.Issued renewed = ca.issue("pgha-exporter-renewed");
    TestPki.install(renewed, installed.certFile(), installed.keyFile());
    assertThat(up(engine)).isEqualTo(UP);
    assertThat(fakes.get(0).lastClientCertificate).isEqualToIgnoringCase(serial(renewed.certFile()));

    Instant now = Instant.now();
    TestPki.install(ca.issue("expired", now.minus(Duration.ofDays(2)), now.minus(Duration.ofHours(1))),
        installed.certFile(), installed.keyFile());
    assertThat(up(engine)).as("an expired replacement is refused at once").isEqualTo(DOWN);
    TestPki.install(renewed, installed.certFile(), installed.keyFile());
    assertThat(up(engine)).as("and fixed by the next replacement").isEqualTo(UP);
  }

  @Test
  void insecureSkipVerifyAcceptsAnyMemberCertificateAndIsWarnedAbout() throws Exception {
    startMembers(otherCa.issue("pg", "10.9.9.9"));
    assertThat(up(engine(files(null, client) + "  insecure_skip_verify: true\n"))).isEqualTo(UP);
    assertThat(log.text()).contains("patroni.insecure_skip_verify: true: the members' "
        + "certificates are not checked");
    assertThatThrownBy(() -> engine(files(ca.caFile(), client) + "  insecure_skip_verify: true\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("patroni.insecure_skip_verify: is true but ca_file is set too; drop one of them");
  }

  @Test
  void tlsSettingsForPlainHttpMembersAreAConfigurationError() {
    String yaml = "patroni:\n  ca_file: " + ca.caFile() + "\n  clusters:\n    - {scope: a, members: [http://127.0.0.1:8008]}\n";
    assertThatThrownBy(() -> PatroniConfig.parse(YamlSection.of(yaml, "patroni")))
        .hasMessage("patroni.ca_file: is set but the members use http; use https:// member URLs for TLS");
    String half = "patroni:\n  cert_file: " + client.certFile() + "\n  clusters:\n    - {scope: a, members: [https://127.0.0.1:8008]}\n";
    assertThatThrownBy(() -> PatroniConfig.parse(YamlSection.of(half, "patroni")))
        .hasMessage("patroni.key_file: is required with patroni.cert_file");
  }

  private static String serial(Path cert) throws Exception {
    return TestPki.serial(cert).replaceFirst("^0+", "");
  }
}
