package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.common.tls.TlsFiles;
import io.pgha.common.tls.TlsMaterial;
import io.pgha.etcd.EtcdMetrics;
import io.pgha.lab.client.Http;
import io.pgha.lab.client.ClusterTls;
import io.pgha.lab.deploy.ClusterPki;
import io.pgha.lab.deploy.Components;
import io.pgha.lab.deploy.Supervisor;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.net.ssl.SSLSocket;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.topology.Topology;
import io.pgha.patroni.PatroniMetrics;
import io.pgha.postgres.PostgresMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code pgha up --tls}, on the shared test cluster when it runs with TLS (the default),
 * else on a twin of its own ({@link TwinCluster}). Every Prometheus target up; plain text refused by etcd's
 * client port, by PostgreSQL for pgha_monitor and by Patroni's unsafe endpoints without a client
 * certificate; the exporters read every member over TLS; {@code status} works the same. Then the
 * exporters' certificate is renewed on disk, as a rotation does, and the exporters use it without a
 * restart and without a scrape reading {@code up 0} (about 13 s; on a twin about 45-65 s in all, mostly
 * {@code up} and {@code down}). {@link PlainClusterIT} is its plain counterpart.
 */
@PghaCluster.Test
class TlsClusterIT {

  @Test
  void aTlsClusterServesEverythingSecuredAndRefusesPlainText(TestCluster shared) throws Exception {
    TwinCluster.check(true, shared, cluster -> {
      Topology t = cluster.topology();
      cluster.up().ifPresent(up -> assertThat(up).contains("Prometheus targets: 12/12 up")
          .contains("etcd, Patroni and the exporters speak https"));
      assertThat(t.secured()).isTrue();

      assertPlainTextRefused(t);
      assertExportersReadEveryMember(t);
      assertRenewedCertificatesUsedWithoutRestart(t);

      TestCluster.CliResult status = cluster.pgha("status");
      assertThat(status.exitCode()).as(status.output()).isZero();
      assertThat(status.stdout()).contains("https://").contains("Leader").contains("healthy");
    });
  }

  private static void assertPlainTextRefused(Topology t) throws Exception {
    Http http = new Http(Duration.ofSeconds(5));
    for (Topology.EtcdMember e : t.etcd()) {
      // Plain HTTP on purpose: the TLS port must not answer it.
      assertThat(http.get("http://" + e.host() + ":" + e.clientPort() + "/health").status()).as(e.name()).isZero();
      // Retried: lab's client allows a handshake 1 s, and the first ones of a cold JVM on a busy machine take longer.
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        Http.Response health = http.get(e.clientUrl() + "/health");
        assertThat(health.status()).as(e.name() + " with the client certificate: " + health.body()).isEqualTo(200);
      });
      assertThat(caOnly(t, URI.create(e.clientUrl() + "/health"), "GET")).as(e.name() + " without a client certificate").isZero();
    }
    Topology.Member m = t.members().get(0);
    String monitor = Secrets.MONITOR;
    String password = new Secrets(t.workdirPath()).password(monitor);
    assertThatThrownBy(() -> connect("jdbc:postgresql://" + m.host() + ":" + m.pgPort() + "/postgres?sslmode=disable",
        monitor, password).close())
        .isInstanceOf(SQLException.class).hasMessageContaining("no encryption");
    try (Connection c = connect(t.jdbcUrl(m.host(), m.pgPort(), "postgres"), monitor, password);
        ResultSet r = c.createStatement().executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
      assertThat(r.next() && r.getBoolean(1)).as("pgha_monitor over SSL").isTrue();
    }
    // An unsafe endpoint without the client certificate: Patroni's verify_client refuses it.
    assertThat(caOnly(t, URI.create(m.restUrl() + "/restart"), "POST")).isEqualTo(403);
  }

  /** Every exporter reads every member up (over TLS or not, as the cluster runs). */
  static void assertExportersReadEveryMember(Topology t) {
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
      MetricsPage patroni = MetricsPage.scrape(t.exporters().metricsUrl("patroni"));
      MetricsPage postgres = MetricsPage.scrape(t.exporters().metricsUrl("postgres"));
      MetricsPage etcd = MetricsPage.scrape(t.exporters().metricsUrl("etcd"));
      assertThat(patroni.require(PatroniMetrics.UP.name(), "scope", t.scope())).isEqualTo(1.0);
      for (Topology.Member m : t.members()) {
        assertThat(patroni.require(PatroniMetrics.MEMBER_UP.name(), "scope", t.scope(), "member", m.name())).as(m.name()).isEqualTo(1.0);
        assertThat(postgres.require(PostgresMetrics.UP.name(), "scope", t.scope(), "member", m.name())).as(m.name()).isEqualTo(1.0);
      }
      for (Topology.EtcdMember e : t.etcd()) {
        assertThat(etcd.require(EtcdMetrics.ETCD_MEMBER_UP.name(), "member", e.name())).as(e.name()).isEqualTo(1.0);
      }
    });
  }

  /**
   * {@code pgha.crt} (the exporters' client certificate towards etcd, Patroni and PostgreSQL, and
   * their server certificate) renewed by renames, as a rotation does. PostgreSQL shows which
   * certificate a client presented ({@code pg_stat_ssl.client_serial}), so the exporter-postgres
   * connections must show the new serial; a new handshake with the exporters must be served the
   * new certificate; exporter-etcd must have made new connections to every etcd member; the exporters' process
   * is the same, and every scrape meanwhile reads every member up.
   */
  private static void assertRenewedCertificatesUsedWithoutRestart(Topology t) throws Exception {
    long started = System.nanoTime();
    Supervisor sup = new Supervisor(t.workdirPath());
    Map<String, Long> exporterPids = exporterPids(sup);
    assertThat(exporterPids).isNotEmpty();
    Path certFile = Path.of(t.tls().certFile());
    BigInteger before = serial(certFile);
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
        assertThat(exporterClientSerials(t)).as("serials exporter-postgres presented before the renewal").containsOnly(before));
    Set<String> etcdConnectionsBefore = etcdConnections(t, exporterPids.values());
    assertThat(etcdConnectionsBefore).as("exporter-etcd's connections to etcd").isNotEmpty();

    new ClusterPki(t).renewTools();
    BigInteger after = serial(certFile);
    assertThat(after).isNotEqualTo(before);
    long renewed = System.nanoTime();

    List<String> downs = new ArrayList<>();
    Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      downs.addAll(notUp(t));
      assertThat(exporterClientSerials(t)).as("serials exporter-postgres presents after the renewal").containsOnly(after);
      for (String exporter : List.of("patroni", "postgres", "etcd")) {
        assertThat(servedSerial(URI.create(t.exporters().metricsUrl(exporter)))).as("served by exporter-" + exporter).isEqualTo(after);
      }
      // Its member clients are rebuilt on the new certificate, one connection per member; the
      // watch's connection keeps its handshake, as any established TLS connection does.
      Set<String> made = etcdConnections(t, exporterPids.values());
      made.removeAll(etcdConnectionsBefore);
      assertThat(made).as("exporter-etcd's connections to etcd made after the renewal").hasSizeGreaterThanOrEqualTo(t.etcd().size());
    });
    System.out.printf("renewed certificate (serial %x) in use by the exporters after %d ms%n", after,
        Duration.ofNanos(System.nanoTime() - renewed).toMillis());
    // A few more scrapes on the new certificate alone.
    for (int i = 0; i < 5; i++) {
      downs.addAll(notUp(t));
      Thread.sleep(1000);
    }
    assertThat(downs).as("targets read down by a scrape during and after the renewal").isEmpty();
    assertThat(exporterPids(sup)).as("the exporters' processes, not restarted").isEqualTo(exporterPids);
    System.out.printf("TlsClusterIT: the renewal checked in %d ms%n", Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  private static Map<String, Long> exporterPids(Supervisor sup) {
    Map<String, Long> pids = new TreeMap<>();
    for (String name : List.of(Components.EXPORTERS_IN_ONE_JVM, Components.exporterName("patroni"),
        Components.exporterName("postgres"), Components.exporterName("etcd"))) {
      sup.pid(name).ifPresent(p -> pids.put(name, p));
    }
    return pids;
  }

  /** The up series of every member in one scrape of each exporter that did not read 1. */
  private static List<String> notUp(Topology t) {
    MetricsPage patroni = MetricsPage.scrape(t.exporters().metricsUrl("patroni"));
    MetricsPage postgres = MetricsPage.scrape(t.exporters().metricsUrl("postgres"));
    MetricsPage etcd = MetricsPage.scrape(t.exporters().metricsUrl("etcd"));
    List<String> down = new ArrayList<>();
    for (Topology.Member m : t.members()) {
      if (patroni.require(PatroniMetrics.MEMBER_UP.name(), "scope", t.scope(), "member", m.name()) != 1.0) {
        down.add(PatroniMetrics.MEMBER_UP.name() + " " + m.name());
      }
      if (postgres.require(PostgresMetrics.UP.name(), "scope", t.scope(), "member", m.name()) != 1.0) {
        down.add(PostgresMetrics.UP.name() + " " + m.name());
      }
    }
    for (Topology.EtcdMember e : t.etcd()) {
      if (etcd.require(EtcdMetrics.ETCD_MEMBER_UP.name(), "member", e.name()) != 1.0) {
        down.add(EtcdMetrics.ETCD_MEMBER_UP.name() + " " + e.name());
      }
    }
    return down;
  }

  /** The serials of the client certificates exporter-postgres's connections presented, over every member. */
  private static Set<BigInteger> exporterClientSerials(Topology t) throws SQLException {
    String password = new Secrets(t.workdirPath()).password(Secrets.MONITOR);
    Set<BigInteger> serials = new HashSet<>();
    for (Topology.Member m : t.members()) {
      try (Connection c = connect(t.jdbcUrl(m.host(), m.pgPort(), "postgres"), Secrets.MONITOR, password);
          ResultSet r = c.createStatement().executeQuery("SELECT s.client_serial FROM pg_stat_ssl s "
              // exporter-postgres's application_name
              + "JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'pgha-exporter-postgres'")) {
        boolean any = false;
        while (r.next()) {
          any = true;
          serials.add(r.getBigDecimal(1) == null ? BigInteger.ZERO : r.getBigDecimal(1).toBigIntegerExact());
        }
        assertThat(any).as("exporter-postgres connected to " + m.name()).isTrue();
      }
    }
    return serials;
  }

  /** The serial of the certificate a new TLS handshake with {@code uri}'s server is given. */
  private static BigInteger servedSerial(URI uri) throws Exception {
    try (SSLSocket socket = (SSLSocket) ClusterTls.sslContext().getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
      socket.setSoTimeout(5000);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  /** Local ends of the established connections the exporters' processes hold to etcd's client ports. */
  private static Set<String> etcdConnections(Topology t, Collection<Long> pids) throws Exception {
    String ports = String.join(" or ", t.etcd().stream().map(e -> "dport = :" + e.clientPort()).toList());
    ExternalCommand.Result ss = ExternalCommand.run(Duration.ofSeconds(10), "", "ss", "-Htnp", "state", "established",
        "( " + ports + " )");
    assertThat(ss.exitCode()).as(ss.output()).isZero();
    Set<String> mine = new HashSet<>();
    for (String line : ss.stdout().split("\n")) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length >= 3 && pids.stream().anyMatch(p -> line.contains("pid=" + p + ","))) {
        mine.add(cols[2]);
      }
    }
    return mine;
  }

  private static BigInteger serial(Path certificate) throws Exception {
    try (InputStream in = Files.newInputStream(certificate)) {
      return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber();
    }
  }

  /** Status of a request that trusts the cluster's CA but shows no client certificate; 0 when refused. */
  private static int caOnly(Topology t, URI uri, String method) throws Exception {
    TlsMaterial ca = TlsMaterial.client(new TlsFiles(Optional.of(new TlsFiles.File("ca_file", Path.of(t.tls().caFile()))),
        Optional.empty(), Optional.empty()), true);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {ca.trustManager()}, null);
    HttpClient client = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(2))
        .sslParameters(new SSLParameters(null, new String[] {"TLSv1.2"})).build();
    try {
      return client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
              .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString())
          .get(8, java.util.concurrent.TimeUnit.SECONDS).statusCode();
    } catch (java.util.concurrent.ExecutionException e) {
      return 0;
    }
  }

  static Connection connect(String url, String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(url, p);
  }
}
