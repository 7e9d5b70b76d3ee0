package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.lab.client.Http;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code pgha up --exporter-jvms one} switches the running cluster's exporters into one JVM (same
 * ports, every Prometheus target up again) and {@code --exporter-jvms separate} back. About 20 s.
 */
@PghaCluster.Test
class ExportersInOneJvmIT {
  private static final List<String> SEPARATE = List.of("exporter-patroni", "exporter-postgres", "exporter-etcd");

  @Test
  void switchesToOneJvmAndBack(TestCluster cluster) {
    cluster.awaitHealthy(Duration.ofSeconds(60));
    try {
      TestCluster.CliResult one = cluster.pgha("up", "--exporter-jvms", "one");
      System.out.println(one.output());
      assertThat(one.exitCode()).as(one.output()).isZero();
      assertThat(one.stdout()).contains("the exporters now run in one JVM").contains("started exporters")
          .contains("Prometheus targets: 12/12 up");
      long pid = cluster.pid("exporters").orElseThrow();
      SEPARATE.forEach(x -> assertThat(cluster.pid(x)).as(x).isEmpty());
      Http http = new Http();
      List.of("patroni", "postgres", "etcd").forEach(exporter -> assertThat(http.get(cluster.exporterUrl(exporter)).body())
          .contains("pgha_exporter_build_info{exporter=\"" + exporter + "\""));

      TestCluster.CliResult again = cluster.pgha("up");
      assertThat(again.stdout()).as(again.output()).contains("nothing started");
      assertThat(cluster.pid("exporters")).hasValue(pid);
    } finally {
      TestCluster.CliResult back = cluster.pgha("up", "--exporter-jvms", "separate");
      System.out.println(back.output());
      assertThat(back.exitCode()).as(back.output()).isZero();
    }
    assertThat(cluster.pid("exporters")).isEmpty();
    SEPARATE.forEach(x -> assertThat(cluster.pid(x)).as(x).isPresent());
    cluster.awaitHealthy(Duration.ofSeconds(60));
  }
}
