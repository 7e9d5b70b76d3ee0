package io.pgha.lab.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.lab.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComponentsTest {
  @TempDir Path wd;

  private Components components(ExporterJvms mode) {
    Topology t = Topology.of(wd, 10000);
    return new Components(t, new ConfigFiles(t, ClusterSettings.DEFAULTS, Path.of("/repo")),
        new Installation(Path.of("/repo"), Path.of("/usr/bin/java"), Path.of("/repo/.pgha/pgha-cli.jar")), mode);
  }

  private static List<String> names(List<Component> cs) {
    return cs.stream().map(Component::name).toList();
  }

  @Test
  void separateJvmsEachWithItsJarAndPort() {
    Components c = components(ExporterJvms.SEPARATE);
    assertThat(names(c.services())).endsWith("exporter-patroni", "exporter-postgres", "exporter-etcd");
    Component etcd = c.services().get(c.services().size() - 1);
    assertThat(etcd.command()).containsSubsequence("/usr/bin/java", "-Xmx64m", "-jar",
        "/repo/exporter-etcd/target/pgha-exporter-etcd.jar", "--config", wd + "/config/exporter-etcd.yml");
    assertThat(etcd.ports()).extracting(Component.Port::port).containsExactly(19813);
    assertThat(names(c.otherExporters())).containsExactly("exporters");
    assertThat(c.exporterProcess("postgres")).isEqualTo("exporter-postgres");
  }

  @Test
  void oneJvmByDefaultRunsAllThreeFromTheLauncherJarOnTheirUsualPorts() {
    Components c = components(ExporterJvms.of(wd));
    assertThat(c.exporterJvms()).isEqualTo(ExporterJvms.ONE);
    assertThat(names(c.services())).doesNotContain("exporter-patroni").endsWith("exporters");
    Component one = c.services().get(c.services().size() - 1);
    assertThat(one.command()).containsSubsequence("/usr/bin/java", "-Xmx64m", "-jar",
        "/repo/exporters/target/pgha-exporters.jar",
        "patroni", "--config", wd + "/config/exporter-patroni.yml", "--",
        "postgres", "--config", wd + "/config/exporter-postgres.yml", "--",
        "etcd", "--config", wd + "/config/exporter-etcd.yml");
    assertThat(one.ports()).extracting(Component.Port::port).containsExactly(19811, 19812, 19813);
    assertThat(names(c.otherExporters()))
        .containsExactly("exporter-patroni", "exporter-postgres", "exporter-etcd");
    assertThat(c.exporterProcess("postgres")).isEqualTo("exporters");
  }

  @Test
  void theWorkDirRemembersTheChoice() throws Exception {
    ExporterJvms.SEPARATE.save(wd);
    assertThat(ExporterJvms.of(wd)).isEqualTo(ExporterJvms.SEPARATE);
    assertThat(components(ExporterJvms.of(wd)).exporterJvms()).isEqualTo(ExporterJvms.SEPARATE);
    assertThat(ExporterJvms.parse("Separate")).isEqualTo(ExporterJvms.SEPARATE);
    assertThatThrownBy(() -> ExporterJvms.parse("two"))
        .hasMessage("--exporter-jvms must be one or separate, got two");
  }
}
