package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.lab.client.Http;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.topology.Topology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The default {@code pgha up}, without {@code --tls}: on the shared test cluster when it runs plain
 * ({@code -Dpgha.it.tls=false}), else on a twin of its own ({@link TwinCluster}), so the plain path
 * stays proven while the suite runs on TLS. Every Prometheus target up; etcd, Patroni's REST API and
 * the exporters answer plain HTTP (the exporters without a login), pgha_monitor's session is not
 * encrypted, the exporters read every member, {@code status} shows http URLs (about 45-60 s on a twin,
 * mostly {@code up} and {@code down}). {@link TlsClusterIT} is its TLS counterpart.
 */
@PghaCluster.Test
class PlainClusterIT {

  @Test
  void aPlainClusterServesEverythingInPlainText(TestCluster shared) throws Exception {
    TwinCluster.check(false, shared, cluster -> {
      Topology t = cluster.topology();
      cluster.up().ifPresent(up -> assertThat(up).contains("Prometheus targets: 12/12 up").doesNotContain("https"));
      assertThat(t.secured()).isFalse();

      Http http = new Http(Duration.ofSeconds(5));
      for (Topology.EtcdMember e : t.etcd()) {
        assertThat(e.clientUrl()).startsWith("http://");
        assertThat(http.get(e.clientUrl() + "/health").status()).as(e.name()).isEqualTo(200);
      }
      for (Topology.Member m : t.members()) {
        assertThat(m.restUrl()).startsWith("http://");
        assertThat(http.get(m.restUrl() + "/patroni").status()).as(m.name()).isEqualTo(200);
      }
      for (String exporter : new String[] {"patroni", "postgres", "etcd"}) {
        String url = t.exporters().metricsUrl(exporter);
        assertThat(url).startsWith("http://");
        // lab's client logs in to https exporters only: this request carries no Authorization.
        assertThat(http.get(url).status()).as(url + " without a login").isEqualTo(200);
      }
      Topology.Member m = t.members().get(0);
      String password = new Secrets(t.workdirPath()).password(Secrets.MONITOR);
      try (Connection c = TlsClusterIT.connect(t.jdbcUrl(m.host(), m.pgPort(), "postgres"), Secrets.MONITOR, password);
          ResultSet r = c.createStatement().executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getBoolean(1)).as("pgha_monitor's session encrypted").isFalse();
      }
      TlsClusterIT.assertExportersReadEveryMember(t);

      TestCluster.CliResult status = cluster.pgha("status");
      assertThat(status.exitCode()).as(status.output()).isZero();
      assertThat(status.stdout()).contains("http://").doesNotContain("https://").contains("Leader").contains("healthy");
    });
  }
}
