package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.common.CoreMetrics;
import io.pgha.lab.client.Http;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code pgha up} runs the three exporters in one JVM by default; {@code --exporter-jvms separate}
 * switches the running cluster's exporters to one JVM each (same ports, every Prometheus target up
 * again) and {@code --exporter-jvms one} back. About 20 s.
 */
@PghaCluster.Test
class ExportersInOneJvmIT {
  private static final String ONE = "exporters";
  private static final List<String> SEPARATE = List.of("exporter-patroni", "exporter-postgres", "exporter-etcd");

  @Test
  void runsInOneJvmByDefaultAndSwitchesToSeparateAndBack(TestCluster cluster) {
    cluster.awaitHealthy(Duration.ofSeconds(60));
    assertThat(cluster.pid(ONE)).as("the exporters in one JVM, as up runs them by default").isPresent();
    SEPARATE.forEach(x -> assertThat(cluster.pid(x)).as(x).isEmpty());
    assertServesEachExporter(cluster);
    try {
      TestCluster.CliResult separate = cluster.pgha("up", "--exporter-jvms", "separate");
      System.out.println(separate.output());
      assertThat(separate.exitCode()).as(separate.output()).isZero();
      assertThat(separate.stdout()).contains("the exporters now run one JVM each")
          .contains("started exporter-patroni, exporter-postgres, exporter-etcd")
          .contains("Prometheus targets: 12/12 up");
      assertThat(cluster.pid(ONE)).isEmpty();
      List<Long> pids = SEPARATE.stream().map(x -> cluster.pid(x).orElseThrow()).toList();
      assertThat(pids).doesNotHaveDuplicates();
      assertServesEachExporter(cluster);

      TestCluster.CliResult again = cluster.pgha("up");
      assertThat(again.stdout()).as(again.output()).contains("nothing started");
      assertThat(SEPARATE.stream().map(x -> cluster.pid(x).orElseThrow()).toList()).isEqualTo(pids);
    } finally {
      TestCluster.CliResult back = cluster.pgha("up", "--exporter-jvms", "one");
      System.out.println(back.output());
      assertThat(back.exitCode()).as(back.output()).isZero();
    }
    assertThat(cluster.pid(ONE)).isPresent();
    SEPARATE.forEach(x -> assertThat(cluster.pid(x)).as(x).isEmpty());
    assertServesEachExporter(cluster);
    cluster.awaitHealthy(Duration.ofSeconds(60));
  }

  private static void assertServesEachExporter(TestCluster cluster) {
    Http http = new Http();
    List.of("patroni", "postgres", "etcd").forEach(exporter -> assertThat(http.get(cluster.exporterUrl(exporter)).body())
        .contains(CoreMetrics.BUILD_INFO.name() + "{exporter=\"" + exporter + "\""));
  }
}
