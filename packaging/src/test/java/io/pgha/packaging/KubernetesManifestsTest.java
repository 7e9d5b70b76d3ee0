package io.pgha.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.pgha.alerts.Rule;
import io.pgha.alerts.RuleFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes: the generated PrometheusRule holds exactly the rules of alerts/rules, the
 * dashboards' ConfigMaps exactly dashboards/json, and every manifest validates against the
 * Kubernetes and prometheus-operator schemas (vendored: schema/generate-kubernetes-schema.sh).
 */
class KubernetesManifestsTest {
  private static final Path REPO = DebianPackageTest.REPO;
  private static final Path DIR = REPO.resolve(KubernetesManifests.DIR);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final JsonNode SCHEMA = schema();

  @Test
  void thePrometheusRuleHoldsExactlyTheRulesOfAlertsRules(@TempDir Path tmp) throws IOException {
    JsonNode rule = single(DIR.resolve(KubernetesManifests.RULES_FILE));
    assertThat(rule.at("/kind").asText()).isEqualTo("PrometheusRule");

    ArrayNode fromFiles = YAML.createArrayNode();
    for (Path file : RuleFiles.list(REPO.resolve("alerts/rules"))) {
      fromFiles.addAll((ArrayNode) YAML.readTree(file.toFile()).get("groups"));
    }
    assertThat(rule.at("/spec/groups")).as("every group, field by field").isEqualTo(fromFiles);

    Path spec = tmp.resolve("spec.yml");
    YAML.writeValue(spec.toFile(), rule.get("spec"));
    assertThat(withoutFile(RuleFiles.parse(spec))).as("every rule, in order")
        .containsExactlyElementsOf(withoutFile(RuleFiles.load(REPO.resolve("alerts/rules"))));
  }

  @Test
  void theDashboardConfigMapsHoldEveryDashboardAsWrittenWithTheSidecarLabel() throws IOException {
    Map<String, String> data = new TreeMap<>();
    for (JsonNode map : documents(DIR.resolve(KubernetesManifests.DASHBOARDS_FILE))) {
      assertThat(map.at("/kind").asText()).isEqualTo("ConfigMap");
      assertThat(map.at("/metadata/labels/" + KubernetesManifests.SIDECAR_LABEL).asText()).isEqualTo("1");
      map.get("data").properties().forEach(e -> data.put(e.getKey(), e.getValue().asText()));
    }
    Map<String, String> files = new TreeMap<>();
    for (Path f : DebianPackage.files(REPO.resolve("dashboards/json"))) {
      files.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
    }
    assertThat(data).isEqualTo(files);
  }

  @Test
  void theCommittedFilesAreWhatTheGeneratorWrites() throws IOException {
    KubernetesManifests generator = new KubernetesManifests(REPO);
    assertThat(DIR.resolve(KubernetesManifests.RULES_FILE)).content(StandardCharsets.UTF_8)
        .isEqualTo(generator.prometheusRule());
    assertThat(DIR.resolve(KubernetesManifests.DASHBOARDS_FILE)).content(StandardCharsets.UTF_8)
        .isEqualTo(generator.dashboardConfigMaps());
  }

  @Test
  void theKustomizationListsEveryManifestAndConfiguration() throws IOException {
    JsonNode kustomization = single(DIR.resolve("kustomization.yaml"));
    List<String> resources = texts(kustomization.get("resources"));
    try (Stream<Path> files = Files.list(DIR)) {
      assertThat(resources).containsExactlyInAnyOrderElementsOf(files.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).toList());
    }
    List<String> configs = texts(kustomization.at("/configMapGenerator/0/files"));
    assertThat(configs).containsExactly("config/exporter-patroni.yml", "config/exporter-postgres.yml",
        "config/exporter-etcd.yml");
    configs.forEach(c -> assertThat(DIR.resolve(c)).isRegularFile());
  }

  @Test
  void everyManifestValidatesAgainstTheKubernetesAndOperatorSchemas() throws IOException {
    List<String> kinds = new ArrayList<>();
    for (String file : texts(single(DIR.resolve("kustomization.yaml")).get("resources"))) {
      for (JsonNode doc : documents(DIR.resolve(file))) {
        String kind = doc.at("/kind").asText();
        kinds.add(kind);
        assertThat(errors(doc)).as(file + " " + kind + " " + doc.at("/metadata/name").asText()).isEmpty();
      }
    }
    assertThat(kinds).contains("Deployment", "Service", "ServiceMonitor", "PrometheusRule", "ConfigMap");
  }

  @Test
  void theSchemaRejectsWhatTheApiServerWould() throws IOException {
    JsonNode deployment = single(DIR.resolve("deployment.yaml"));
    ObjectNode misspelt = deployment.deepCopy();
    ((ObjectNode) misspelt.at("/spec/template/spec/containers/0")).put("imagePullPolicyy", "Always");
    assertThat(errors(misspelt)).anyMatch(e -> e.contains("imagePullPolicyy"));

    ObjectNode noSelector = deployment.deepCopy();
    ((ObjectNode) noSelector.get("spec")).remove("selector");
    assertThat(errors(noSelector)).anyMatch(e -> e.contains("selector"));

    ObjectNode badPort = single(DIR.resolve("service.yaml")).deepCopy();
    ((ObjectNode) badPort.at("/spec/ports/0")).put("port", "ninety");
    assertThat(errors(badPort)).isNotEmpty();

    ObjectNode monitor = single(DIR.resolve("servicemonitor.yaml")).deepCopy();
    ((ObjectNode) monitor.at("/spec/endpoints/0")).put("intervall", "15s");
    assertThat(errors(monitor)).anyMatch(e -> e.contains("intervall"));

    ObjectNode rule = single(DIR.resolve(KubernetesManifests.RULES_FILE)).deepCopy();
    ((ObjectNode) rule.at("/spec/groups/0/rules/0")).remove("expr");
    assertThat(errors(rule)).anyMatch(e -> e.contains("expr"));
  }

  /** The schema's messages for {@code doc}, checked against the definition of its kind. */
  private static List<String> errors(JsonNode doc) {
    String kind = doc.at("/kind").asText();
    assertThat(SCHEMA.at("/definitions/I" + kind).isObject()).as("a schema for kind " + kind).isTrue();
    ObjectNode root = SCHEMA.deepCopy();
    root.put("$ref", "#/definitions/I" + kind);
    JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(root);
    return schema.validate(doc).stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  private static JsonNode schema() {
    try (InputStream in = KubernetesManifestsTest.class.getResourceAsStream("/kubernetes/kubernetes.schema.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    try (var parser = YAML.getFactory().createParser(file.toFile())) {
      return YAML.readValues(parser, JsonNode.class).readAll().stream().filter(n -> !n.isNull() && !n.isMissingNode())
          .toList();
    }
  }

  private static JsonNode single(Path file) throws IOException {
    List<JsonNode> docs = documents(file);
    assertThat(docs).as(file.toString()).hasSize(1);
    return docs.get(0);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<Rule> withoutFile(List<Rule> rules) {
    return rules.stream().map(r -> new Rule("", r.group(), r.alert(), r.record(), r.expr(), r.forDuration(),
        r.labels(), r.annotations())).toList();
  }
}
