package io.pgha.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgha.common.CapturedStderr;
import io.pgha.common.CollectorSet;
import io.pgha.common.ScrapeEngine;
import io.pgha.common.TestPki;
import io.pgha.common.TextExposition;
import io.pgha.common.YamlSection;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * exporter-etcd against a real etcd 3.4 member serving its client port over TLS with
 * {@code --client-cert-auth}, as {@code pgha up --tls} runs it: the good case, each bad
 * certificate (up 0, one line naming the file and the reason), {@code server_name}, and a client
 * certificate replaced on disk. The member listens on the first two of
 * {@code -Dpgha.test.etcd.hosts} (ports 2579 and 2580), its certificate naming only the first.
 */
class EtcdTlsTest {
  private static final List<String> HOSTS =
      List.of(System.getProperty("pgha.test.etcd.hosts", "127.0.4.31,127.0.4.32,127.0.4.33").split(","));
  private static final int CLIENT_PORT = 2579;
  private static final int PEER_PORT = 2580;

  private static Path dir;
  private static TestPki ca;
  private static TestPki otherCa;
  private static TestPki.Issued client;
  private static Process etcd;

  private Vertx vertx;
  private final List<CollectorSet> exporters = new ArrayList<>();
  @RegisterExtension final CapturedStderr log = new CapturedStderr();

  @BeforeAll
  static void startEtcd() throws Exception {
    dir = Files.createTempDirectory("pgha-etcd-tls");
    ca = TestPki.create(dir, "etcd-ca");
    otherCa = TestPki.create(dir, "other-ca");
    client = ca.issue("pgha-exporter");
    String host = HOSTS.get(0);
    TestPki.Issued server = ca.issue("etcd-1", host, "etcd-1");
    String clientUrls = "https://" + host + ":" + CLIENT_PORT + ",https://" + HOSTS.get(1) + ":" + CLIENT_PORT;
    etcd = new ProcessBuilder("etcd", "--name", "etcd-1", "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", clientUrls, "--advertise-client-urls", "https://" + host + ":" + CLIENT_PORT,
        "--listen-peer-urls", "http://" + host + ":" + PEER_PORT,
        "--initial-advertise-peer-urls", "http://" + host + ":" + PEER_PORT,
        "--initial-cluster", "etcd-1=http://" + host + ":" + PEER_PORT, "--initial-cluster-state", "new",
        "--cert-file", server.certFile().toString(), "--key-file", server.keyFile().toString(),
        "--trusted-ca-file", ca.caFile().toString(), "--client-cert-auth", "--logger", "zap", "--log-outputs", "stderr")
        .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(dir.resolve("etcd.log"))
        .contains("serving client traffic securely"));
    // A cold JVM's first TLS connection through gRPC takes seconds on a busy machine (class
    // loading): longer than the request timeout. Warmed up, each case shows its own reason at once.
    Vertx warm = Vertx.vertx();
    try (CollectorSet set = EtcdExporter.collectors(warm, EtcdSettings.from(YamlSection.of(
        "etcd: {endpoints: [https://" + host + ":" + CLIENT_PORT + "], scopes: [pgha], ca_file: " + ca.caFile()
            + ", cert_file: " + client.certFile() + ", key_file: " + client.keyFile() + "}", "etcd")))) {
      ScrapeEngine engine = new ScrapeEngine(warm, "etcd", "test", set.collectors());
      await().atMost(Duration.ofSeconds(60)).until(() -> up(engine) == 1);
    } finally {
      warm.close().await(10, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stopEtcd() throws Exception {
    if (etcd != null) {
      etcd.destroy();
      if (!etcd.waitFor(20, TimeUnit.SECONDS)) {
        etcd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    exporters.forEach(CollectorSet::close);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private ScrapeEngine engine(String host, String tlsYaml) throws Exception {
    String yaml = "etcd:\n  endpoints: [https://" + host + ":" + CLIENT_PORT + "]\n  scopes: [pgha]\n" + tlsYaml;
    EtcdSettings settings = EtcdSettings.from(YamlSection.of(yaml, "etcd"));
    CollectorSet set = EtcdExporter.collectors(vertx, settings);
    exporters.add(set);
    return new ScrapeEngine(vertx, "etcd", "test", set.collectors());
  }

  private static String files(Path caFile, TestPki.Issued pair) {
    return "  ca_file: " + caFile + "\n"
        + (pair == null ? "" : "  cert_file: " + pair.certFile() + "\n  key_file: " + pair.keyFile() + "\n");
  }

  /** {@code pgha_etcd_up}, scraped with a long deadline (a cold JVM's first handshake loads much of JSSE and gRPC). */
  private static double up(ScrapeEngine engine) throws Exception {
    String text = TextExposition.render(engine.scrape(20_000).await(30, TimeUnit.SECONDS));
    return text.lines().filter(l -> l.startsWith(EtcdMetrics.ETCD_UP.name() + " ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
        .findFirst().orElseThrow(() -> new AssertionError("no " + EtcdMetrics.ETCD_UP.name() + " in\n" + text));
  }

  /**
   * Down, with the reason in the log from the first scrape on, at most once per reader of etcd
   * (the member list, the endpoint's status, the leader key watch, the DCS state: each logs what
   * it could not read) and not again on later scrapes.
   */
  private void assertDownSaying(ScrapeEngine engine, String reason) throws Exception {
    assertThat(up(engine)).isZero();
    long first = lines(reason);
    assertThat(first).as("lines with '%s' in:\n%s", reason, log.text()).isBetween(1L, 4L);
    for (int i = 0; i < 3; i++) {
      assertThat(up(engine)).isZero();
    }
    assertThat(lines(reason)).as("the same reason is not logged again").isEqualTo(first);
  }

  private long lines(String reason) {
    return log.text().lines().filter(l -> l.contains(reason) && l.contains("level=warn")).count();
  }

  @Test
  void readsTheClusterWithAClientCertificate() throws Exception {
    ScrapeEngine engine = engine(HOSTS.get(0), files(ca.caFile(), client));
    await().atMost(Duration.ofSeconds(30)).until(() -> up(engine) == 1);
    String text = TextExposition.render(engine.scrape(20_000).await(30, TimeUnit.SECONDS));
    assertThat(text).contains(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name() + " 1.0")
        .contains(EtcdMetrics.DCS_LEADER_KEY_PRESENT.name() + "{scope=\"pgha\"} 0.0");
  }

  @Test
  void withoutAClientCertificateEtcdRefuses() throws Exception {
    assertDownSaying(engine(HOSTS.get(0), files(ca.caFile(), null)), "etcd endpoint https://" + HOSTS.get(0));
    assertThat(log.text()).contains("client certificate");
  }

  @Test
  void aMemberSignedByAnotherCaIsRefusedNamingTheCaFile() throws Exception {
    assertDownSaying(engine(HOSTS.get(0), files(otherCa.caFile(), client)), "the server's certificate (CN=etcd-1), issued by "
        + "CN=etcd-ca, is not signed by a trusted CA, checked against etcd.ca_file " + otherCa.caFile());
  }

  @Test
  void aMemberCertificateForAnotherNameIsRefusedUnlessServerNameSaysWhichToExpect() throws Exception {
    String other = HOSTS.get(1);
    assertDownSaying(engine(other, files(ca.caFile(), client)),
        "the server's certificate (CN=etcd-1) is not valid for " + other + ": it names IP:" + HOSTS.get(0) + ", DNS:etcd-1");
    assertThat(up(engine(other, files(ca.caFile(), client) + "  server_name: etcd-1\n"))).isEqualTo(1);
  }

  @Test
  void expiredAndMismatchedClientMaterialIsRefusedBeforeConnecting() throws Exception {
    Instant now = Instant.now();
    TestPki.Issued expired = ca.issue("expired", now.minus(Duration.ofDays(2)), now.minus(Duration.ofHours(1)));
    assertDownSaying(engine(HOSTS.get(0), files(ca.caFile(), expired)),
        "etcd.cert_file " + expired.certFile() + ": the certificate (CN=expired) expired on ");
    TestPki.Issued other = ca.issue("other");
    assertDownSaying(engine(HOSTS.get(0), files(ca.caFile(), new TestPki.Issued(client.certFile(), other.keyFile()))),
        "etcd.key_file " + other.keyFile() + ": the key does not belong to the certificate in etcd.cert_file " + client.certFile());
  }

  @Test
  void aClientCertificateReplacedOnDiskIsUsedWithoutARestart() throws Exception {
    Path cert = dir.resolve("rotated.crt");
    Path key = dir.resolve("rotated.key");
    Instant now = Instant.now();
    TestPki.install(ca.issue("soon", now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(1))), cert, key);
    ScrapeEngine engine = engine(HOSTS.get(0), files(ca.caFile(), new TestPki.Issued(cert, key)));
    assertThat(up(engine)).as("a certificate not valid yet").isZero();

    TestPki.install(ca.issue("now-valid"), cert, key);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(up(engine)).isEqualTo(1));

    TestPki.install(new TestPki.Issued(client.certFile(), ca.issue("stranger").keyFile()), cert, key);
    // The members are read in the background since issue 19: the scrape shows the failure once that loop met it.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(up(engine)).as("a replacement whose key does not match").isZero());
    TestPki.install(client, cert, key);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(up(engine)).isEqualTo(1));
    assertThat(log.text()).contains("read again (certificate CN=pgha-exporter");
  }
}
