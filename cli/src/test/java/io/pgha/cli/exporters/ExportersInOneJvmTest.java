package io.pgha.cli.exporters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.lab.deploy.Components;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportersInOneJvmTest {

  @Test
  void eachGroupIsAnExporterAndTheFlagsOfItsOwnJar() {
    Map<String, String[]> g = ExportersInOneJvm.groups(new String[] {"etcd", "--config", "e.yml", "--",
        "patroni", "--config", "p.yml", "--web.listen-address=127.0.0.1:1", "--", "postgres"});
    assertThat(g.keySet()).containsExactly("etcd", "patroni", "postgres");
    assertThat(g.get("etcd")).containsExactly("--config", "e.yml");
    assertThat(g.get("patroni")).containsExactly("--config", "p.yml", "--web.listen-address=127.0.0.1:1");
    assertThat(g.get("postgres")).isEmpty();
  }

  @Test
  void unknownRepeatedOrNoExporterIsRefused() {
    assertThatThrownBy(() -> ExportersInOneJvm.groups(new String[] {"haproxy", "--config", "x"}))
        .hasMessage("unknown exporter 'haproxy' (patroni, postgres, etcd)");
    assertThatThrownBy(() -> ExportersInOneJvm.groups(new String[] {"etcd", "--", "etcd"}))
        .hasMessage("exporter 'etcd' given twice");
    assertThatThrownBy(() -> ExportersInOneJvm.groups(new String[] {"--"}))
        .hasMessage("no exporter given");
  }

  @Test
  void theDeployCodeStartsThisClass() {
    assertThat(Components.ONE_JVM_MAIN).isEqualTo(ExportersInOneJvm.class.getName());
  }
}
