package io.pgha.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Validates the committed dashboards against Grafana's dashboard model as a JSON Schema, derived from
 * the TypeScript types of the npm package {@code @grafana/schema} (see schema/generate-grafana-schema.sh).
 */
class GrafanaSchemaTest {

  private static JsonSchema schema;

  @BeforeAll
  static void loadSchema() throws IOException {
    try (InputStream in = GrafanaSchemaTest.class.getResourceAsStream("/grafana/dashboard.schema.json")) {
      assertThat(in).as("grafana/dashboard.schema.json on the test classpath").isNotNull();
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(Json.MAPPER.readTree(in));
    }
  }

  static List<Path> files() {
    return CommittedDashboards.files();
  }

  @ParameterizedTest
  @MethodSource("files")
  void committedDashboardMatchesGrafanasSchema(Path file) {
    assertThat(errors(CommittedDashboards.read(file))).isEmpty();
  }

  @Test
  void schemaRejectsAMisspelledPanelField() {
    ObjectNode dashboard = (ObjectNode) CommittedDashboards.read(files().get(0)).deepCopy();
    ObjectNode panel = (ObjectNode) dashboard.path("panels").get(1);
    panel.set("gridpos", panel.remove("gridPos"));
    assertThat(errors(dashboard)).anyMatch(m -> m.contains("gridpos"));
  }

  @Test
  void schemaRejectsAWrongType() {
    ObjectNode dashboard = (ObjectNode) CommittedDashboards.read(files().get(0)).deepCopy();
    ((ObjectNode) dashboard.path("panels").get(1).path("gridPos")).put("w", "wide");
    assertThat(errors(dashboard)).isNotEmpty();
  }

  @Test
  void schemaAcceptsPrometheusAnnotationFields() {
    JsonNode overview = CommittedDashboards.read(CommittedDashboards.dir().resolve("pgha-cluster-overview.json"));
    assertThat(overview.path("annotations").path("list").get(1).has("expr")).isTrue();
    assertThat(errors(overview)).isEmpty();
  }

  private static List<String> errors(JsonNode dashboard) {
    return schema.validate(dashboard).stream().map(ValidationMessage::getMessage).sorted().toList();
  }
}
