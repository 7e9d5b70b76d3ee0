package io.pgha.lab.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.lab.client.Http;
import io.pgha.lab.client.PrometheusApi.Target;
import io.pgha.lab.topology.Topology;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  private final Topology t = Topology.of(Path.of("/tmp/pgha-unit"), 10000);
  private final Readiness r = new Readiness(t, new Supervisor(t.workdirPath()), new Http(),
      new PrintStream(OutputStream.nullOutputStream()), System.nanoTime(), 1);

  private static Target target(String job, String instance) {
    return new Target(job, instance, "up", "", null);
  }

  @Test
  void everyScrapeTargetMapsToTheComponentServingIt() {
    assertThat(r.componentOf(target("patroni", "127.0.0.22:18008"))).isEqualTo("pg-2");
    assertThat(r.componentOf(target("etcd", "127.0.0.13:12379"))).isEqualTo("etcd-3");
    assertThat(r.componentOf(target("haproxy", "127.0.0.1:17001"))).isEqualTo("haproxy");
    assertThat(r.componentOf(target("pgha-patroni", "127.0.0.1:19811"))).isEqualTo("exporter-patroni");
    assertThat(r.componentOf(target("pgha-postgres", "127.0.0.1:19812"))).isEqualTo("exporter-postgres");
    assertThat(r.componentOf(target("pgha-dcs", "127.0.0.1:19813"))).isEqualTo("exporter-etcd");
    assertThat(r.componentOf(target("prometheus", "127.0.0.1:19090"))).isEqualTo("prometheus");
    assertThat(r.componentOf(target("alertmanager", "127.0.0.1:19093"))).isEqualTo("alertmanager");
  }
}
