package io.pgha.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The provisioning files agree with the dashboards (no Grafana here to load them). */
class ProvisioningTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path DIR = CommittedDashboards.dir().resolveSibling("provisioning");

  @Test
  void datasourceIsThePrometheusTheDashboardsStartOn() throws IOException {
    JsonNode file = YAML.readTree(DIR.resolve("datasources/pgha-prometheus.yml").toFile());
    assertThat(file.path("apiVersion").asInt()).isEqualTo(1);
    assertThat(file.path("datasources")).hasSize(1);
    JsonNode ds = file.path("datasources").get(0);
    assertThat(ds.path("type").asText()).isEqualTo("prometheus");
    assertThat(ds.path("uid").asText()).isEqualTo(Json.PROVISIONED_DATASOURCE_UID);
    assertThat(ds.path("name").asText()).isEqualTo(Json.PROVISIONED_DATASOURCE_NAME);
    assertThat(ds.path("url").asText()).isEqualTo("http://prometheus:9090");
    for (Dashboard d : Dashboards.all()) {
      JsonNode variable = d.toJson().path("templating").path("list").get(0);
      assertThat(variable.path("current").path("value").asText()).as(d.uid()).isEqualTo(ds.path("uid").asText());
    }
  }

  @Test
  void providerLoadsTheJsonFolderIntoThePghaFolder() throws IOException {
    JsonNode file = YAML.readTree(DIR.resolve("dashboards/pgha.yml").toFile());
    assertThat(file.path("apiVersion").asInt()).isEqualTo(1);
    JsonNode provider = file.path("providers").get(0);
    assertThat(provider.path("type").asText()).isEqualTo("file");
    assertThat(provider.path("folderUid").asText()).isEqualTo("pgha");
    assertThat(provider.path("options").path("path").asText()).isEqualTo("/var/lib/grafana/dashboards/pgha");
  }
}
